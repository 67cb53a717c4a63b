#include "analysis/digest.h"

#include <cstring>

namespace scalelens::analysis {

void Digest::add(std::string_view text) {
    add(static_cast<std::int64_t>(text.size()));
    m_hash.addData(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
}

void Digest::add(double value) {
    unsigned char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    m_hash.addData(QByteArrayView(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

void Digest::add(std::int64_t value) {
    unsigned char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    m_hash.addData(QByteArrayView(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string Digest::fingerprint() {
    return std::string(kDigestPrefix) + m_hash.result().toHex().toStdString();
}

void addInputs(Digest* d, const InputRows& in) {
    d->add(in.lossMetric);
    d->add(static_cast<std::int64_t>(in.size()));
    for (std::size_t i = 0; i < in.size(); ++i) {
        d->add(in.runIds[i]);
        d->add(in.names[i]);
    }
}

void addInputs(Digest* d, const NdlInputs& in) {
    addInputs(d, static_cast<const InputRows&>(in));
    for (std::size_t i = 0; i < in.obs.size(); ++i) {
        d->add(in.obs[i].x1);
        d->add(in.obs[i].x2);
        d->add(in.obs[i].loss);
        d->add(in.compute[i]);
    }
}

void addInputs(Digest* d, const IsoFlopInputs& in) {
    addInputs(d, static_cast<const InputRows&>(in));
    for (const auto& p : in.points) {
        d->add(p.N);
        d->add(p.D);
        d->add(p.C);
        d->add(p.L);
    }
}

void addInputs(Digest* d, const AvgParamInputs& in) {
    addInputs(d, static_cast<const InputRows&>(in));
    for (const auto& r : in.runs) {
        d->add(r.nAverage);
        d->add(r.nFinal);
        d->add(r.tokens);
        d->add(r.loss);
    }
}

void addInputs(Digest* d, const KnowledgeInputs& in) {
    addInputs(d, static_cast<const InputRows&>(in));
    for (const auto& p : in.points) {
        d->add(p.params);
        d->add(p.bits);
    }
}

void addInputs(Digest* d, const LrBsInputs& in) {
    addInputs(d, static_cast<const InputRows&>(in));
    for (const auto& r : in.runs) {
        d->add(r.n);
        d->add(r.d);
        d->add(r.lr);
        d->add(r.batchTokens);
        d->add(r.loss);
    }
}

void addInputs(Digest* d, const DensingInputs& in) {
    addInputs(d, static_cast<const InputRows&>(in));
    d->add(in.benchmark);
    for (const auto& m : in.models) {
        d->add(m.n);
        d->add(m.score);
        d->add(m.days);
        d->add(static_cast<std::int64_t>(m.reference));
    }
    for (const auto& p : in.lossPoints) {
        d->add(p.n);
        d->add(p.d);
        d->add(p.loss);
    }
    for (const auto& p : in.scorePoints) {
        d->add(p.loss);
        d->add(p.score);
    }
}

}  // namespace scalelens::analysis
