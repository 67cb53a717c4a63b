// Placeholder so the library has a source until the store and importers land.
namespace scalelens::data {
int placeholder() { return 0; }
}  // namespace scalelens::data
