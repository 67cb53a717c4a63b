// The digest that says whether a saved fit is stale: SHA-256 over every value of every run the
// fit used (run id and name, the law's inputs, row by row) and the options, so any change of
// that data, including two runs swapping their losses, changes it. Values are hashed as their
// exact IEEE-754 bits, strings with their length, so no two different inputs share a byte
// stream.
//
//   analysis::Digest d;
//   d.add("chinchilla"); d.add(optionsJson);
//   analysis::addInputs(&d, inputs);
//   record.dataFingerprint = d.fingerprint();           // "sha256:<64 hex digits>"
#pragma once

#include <QCryptographicHash>
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/law_inputs.h"

namespace scalelens::analysis {

class Digest {
  public:
    void add(std::string_view text);
    void add(double value);
    void add(std::int64_t value);
    // "sha256:" + lower-case hex. Call once.
    std::string fingerprint();

  private:
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

// Fingerprints written by Digest start with this; older fits hold Project::dataFingerprint().
inline constexpr std::string_view kDigestPrefix = "sha256:";

void addInputs(Digest* d, const InputRows& rows);  // run ids and names, loss metric
void addInputs(Digest* d, const NdlInputs& in);
void addInputs(Digest* d, const IsoFlopInputs& in);
void addInputs(Digest* d, const AvgParamInputs& in);
void addInputs(Digest* d, const KnowledgeInputs& in);
void addInputs(Digest* d, const LrBsInputs& in);
void addInputs(Digest* d, const DensingInputs& in);

}  // namespace scalelens::analysis
