// Streaming RFC 4180 CSV reader over a large buffer, plus locale-free number parsing.
// Private to datasets/; the importers build on it.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace scalelens::data::detail {

class CsvReader {
  public:
    // `in` must outlive the reader. The delimiter can be set after prime() (detection).
    explicit CsvReader(std::istream& in, std::size_t bufferBytes = 1 << 20);

    // Reads the first buffer and skips a UTF-8 BOM. Returns the text available for sniffing.
    std::string_view prime();
    void setDelimiter(char d) { m_delim = d; }
    char delimiter() const { return m_delim; }

    // Next record with a non-empty cell; false at end of input. Fields are views valid until the
    // next call.
    bool next();
    const std::vector<std::string_view>& fields() const { return m_fields; }
    // 1-based line number where the current record starts.
    std::int64_t line() const { return m_recordLine; }
    // Bytes consumed so far (for progress).
    std::uint64_t bytesConsumed() const { return m_consumedBefore + m_pos; }
    // False when a quoted field was not closed before the end of input.
    bool unterminatedQuote() const { return m_unterminated; }
    // Records returned by next() so far (the header included).
    std::int64_t records() const { return m_records; }

  private:
    bool fill();  // moves the unread tail to the front and reads more; false at EOF
    void split(std::string_view record, bool hasQuote);

    std::istream& m_in;
    std::string m_buf;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_consumedBefore = 0;
    bool m_eof = false;
    bool m_primed = false;
    bool m_unterminated = false;
    char m_delim = ',';
    std::int64_t m_line = 1;
    std::int64_t m_recordLine = 0;
    std::int64_t m_records = 0;
    std::vector<std::string_view> m_fields;
    std::string m_scratch;
};

// Splits one line of sniffed text quote-aware (used for detection on the primed buffer).
std::vector<std::string> splitLine(std::string_view line, char delim);
// The first `maxLines` lines of sniffed text (quote-aware, CR stripped).
std::vector<std::string> sniffLines(std::string_view text, std::size_t maxLines);

enum class NumberParse { Ok, Empty, NonFinite, Bad };
// Parses a cell as a double with '.' or ',' decimal separator; never uses the locale.
// Accepts surrounding spaces, a leading '+', scientific notation. "nan", "inf", "-inf",
// "infinity" (any case) -> NonFinite; "", "NA", "N/A", "null", "None" -> Empty.
NumberParse parseCell(std::string_view cell, char decimal, double* value);

std::string_view trim(std::string_view s);
std::string toLower(std::string_view s);

}  // namespace scalelens::data::detail
