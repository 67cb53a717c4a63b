// Placeholder so the library has a source until the plot widgets land.
namespace scalelens::ui {
int placeholder() { return 0; }
}  // namespace scalelens::ui
