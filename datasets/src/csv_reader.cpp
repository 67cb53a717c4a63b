#include "csv_reader.h"

#include <fast_float/fast_float.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace scalelens::data::detail {

CsvReader::CsvReader(std::istream& in, std::size_t bufferBytes) : m_in(in) {
    m_buf.resize(std::max<std::size_t>(bufferBytes, 4096));
}

bool CsvReader::fill() {
    if (m_eof)
        return false;
    if (m_pos > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
        m_consumedBefore += m_pos;
        m_end -= m_pos;
        m_pos = 0;
    }
    if (m_end == m_buf.size())
        m_buf.resize(m_buf.size() * 2);  // one record longer than the buffer
    m_in.read(m_buf.data() + m_end, static_cast<std::streamsize>(m_buf.size() - m_end));
    const auto got = static_cast<std::size_t>(m_in.gcount());
    m_end += got;
    if (got == 0 || !m_in)
        m_eof = true;
    return got > 0;
}

std::string_view CsvReader::prime() {
    if (!m_primed) {
        m_primed = true;
        // Fill until at least 64 KiB or EOF, so sniffing sees several lines.
        while (m_end < 65536 && fill()) {
        }
        // Skip the UTF-8 byte order mark, also when an editor wrote it more than once.
        while (m_end - m_pos >= 3 && std::memcmp(m_buf.data() + m_pos, "\xEF\xBB\xBF", 3) == 0)
            m_pos += 3;
    }
    return std::string_view(m_buf.data() + m_pos, m_end - m_pos);
}

bool CsvReader::next() {
    prime();
    for (;;) {
        // Find the end of the record starting at m_pos: the first newline outside quotes.
        const char* base = m_buf.data();  // refreshed after every fill()
        std::size_t scan = m_pos;
        bool inQuote = false;
        bool hasQuote = false;
        std::size_t recordEnd = std::string::npos;
        std::int64_t newlines = 0;
        while (scan < m_end) {
            const void* nl = std::memchr(base + scan, '\n', m_end - scan);
            const std::size_t lineEnd =
                nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : m_end;
            if (inQuote || std::memchr(base + scan, '"', lineEnd - scan)) {
                hasQuote = true;
                for (std::size_t i = scan; i < lineEnd; ++i)
                    if (base[i] == '"')
                        inQuote = !inQuote;
            }
            if (!nl)
                break;
            ++newlines;
            if (!inQuote) {
                recordEnd = lineEnd;
                break;
            }
            scan = lineEnd + 1;
        }
        if (recordEnd == std::string::npos) {
            const bool more = fill();
            base = m_buf.data();  // fill() may move or grow the buffer even when it reads nothing
            if (more)
                continue;  // record spans the buffer end: read more and rescan
            if (m_pos >= m_end)
                return false;
            recordEnd = m_end;  // last line without newline
            m_unterminated = inQuote;
        }
        std::string_view record(base + m_pos, recordEnd - m_pos);
        m_recordLine = m_line;
        m_line += newlines;
        m_pos = std::min(recordEnd + 1, m_end);
        if (!record.empty() && record.back() == '\r')
            record.remove_suffix(1);
        if (record.find_first_not_of(" \t") == std::string_view::npos)
            continue;  // blank line
        split(record, hasQuote);
        if (std::all_of(m_fields.begin(), m_fields.end(),
                        [](std::string_view f) { return trim(f).empty(); }))
            continue;  // only empty cells (",,,", a spreadsheet's trailing rows): blank too
        ++m_records;
        return true;
    }
}

void CsvReader::split(std::string_view record, bool hasQuote) {
    m_fields.clear();
    if (!hasQuote) {
        std::size_t start = 0;
        for (;;) {
            const void* d = std::memchr(record.data() + start, m_delim, record.size() - start);
            if (!d) {
                m_fields.push_back(record.substr(start));
                return;
            }
            const auto at = static_cast<std::size_t>(static_cast<const char*>(d) - record.data());
            m_fields.push_back(record.substr(start, at - start));
            start = at + 1;
        }
    }
    // Quoted fields: unescape into scratch; reserve first so the views stay valid.
    m_scratch.clear();
    m_scratch.reserve(record.size());
    std::size_t fieldStart = 0;
    bool inQuote = false;
    for (std::size_t i = 0; i < record.size(); ++i) {
        const char c = record[i];
        if (inQuote) {
            if (c == '"') {
                if (i + 1 < record.size() && record[i + 1] == '"') {
                    m_scratch.push_back('"');
                    ++i;
                } else {
                    inQuote = false;
                }
            } else if (c != '\r' || i + 1 >= record.size() || record[i + 1] != '\n') {
                m_scratch.push_back(c);
            }
        } else if (c == '"') {
            inQuote = true;
        } else if (c == m_delim) {
            m_fields.emplace_back(m_scratch.data() + fieldStart, m_scratch.size() - fieldStart);
            fieldStart = m_scratch.size();
        } else {
            m_scratch.push_back(c);
        }
    }
    m_fields.emplace_back(m_scratch.data() + fieldStart, m_scratch.size() - fieldStart);
}

std::vector<std::string> splitLine(std::string_view line, char delim) {
    std::vector<std::string> out(1);
    bool inQuote = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inQuote) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back().push_back('"');
                ++i;
            } else if (c == '"') {
                inQuote = false;
            } else {
                out.back().push_back(c);
            }
        } else if (c == '"') {
            inQuote = true;
        } else if (c == delim) {
            out.emplace_back();
        } else {
            out.back().push_back(c);
        }
    }
    return out;
}

std::vector<std::string> sniffLines(std::string_view text, std::size_t maxLines) {
    std::vector<std::string> lines;
    std::string current;
    bool inQuote = false;
    for (char c : text) {
        if (c == '"')
            inQuote = !inQuote;
        if (c == '\n' && !inQuote) {
            if (!current.empty() && current.back() == '\r')
                current.pop_back();
            if (trim(current).size() > 0)
                lines.push_back(std::move(current));
            current.clear();
            if (lines.size() >= maxLines)
                return lines;
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty() && current.back() == '\r')
        current.pop_back();
    if (!trim(current).empty() && lines.size() < maxLines)
        lines.push_back(std::move(current));
    return lines;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string toLower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

namespace {
bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}
}  // namespace

NumberParse parseCell(std::string_view cell, char decimal, double* value) {
    cell = trim(cell);
    if (cell.empty())
        return NumberParse::Empty;
    if (cell.front() == '+')
        cell.remove_prefix(1);
    char local[64];
    if (decimal == ',') {
        if (cell.size() >= sizeof(local))
            return NumberParse::Bad;
        std::memcpy(local, cell.data(), cell.size());
        for (std::size_t i = 0; i < cell.size(); ++i)
            if (local[i] == ',')
                local[i] = '.';
            else if (local[i] == '.')
                return NumberParse::Bad;  // '.' is not a decimal mark here
        cell = std::string_view(local, cell.size());
    }
    const char* first = cell.data();
    const char* last = first + cell.size();
    const auto [ptr, ec] =
        fast_float::from_chars(first, last, *value, fast_float::chars_format::general);
    if (ec == std::errc() && ptr == last)
        return std::isfinite(*value) ? NumberParse::Ok : NumberParse::NonFinite;
    if (ec == std::errc::result_out_of_range)
        return NumberParse::NonFinite;
    for (std::string_view missing : {"na", "n/a", "null", "none", "nan", "-nan"})
        if (equalsNoCase(cell, missing))
            return missing.find("nan") != std::string_view::npos ? NumberParse::NonFinite
                                                                 : NumberParse::Empty;
    return NumberParse::Bad;
}

}  // namespace scalelens::data::detail
