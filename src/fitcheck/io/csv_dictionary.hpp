#pragma once
// Dictionary encoding of text fields (internal): an open-addressing hash table from text to code,
// codes in first-seen order. Faster than std::unordered_map<std::string, ...> on the hot path of
// categorical columns, and it allocates only for new distinct strings.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fitcheck::io::detail {

class DictionaryEncoder {
 public:
  DictionaryEncoder();
  // The code of `text`, adding it to the dictionary when new.
  std::int32_t encode(std::string_view text);
  std::int32_t size() const { return static_cast<std::int32_t>(dictionary_.size()); }
  const std::vector<std::string>& dictionary() const { return dictionary_; }
  std::vector<std::string> take_dictionary();

 private:
  // A slot holds code + 1 (0 = empty) and 32 bits of the hash, so that most probes that miss
  // are settled without touching the strings.
  struct Slot {
    std::uint32_t code_plus_one = 0;
    std::uint32_t hash_high = 0;
  };
  void grow();
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> hashes_;  // per code, for growing
  std::vector<std::string> dictionary_;
  std::uint64_t mask_ = 0;
};

std::uint64_t hash_text(std::string_view text);
bool same_text(const std::string& held, std::string_view text);  // held == text

}  // namespace fitcheck::io::detail
