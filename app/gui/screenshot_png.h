// 8-bit (palette) screenshots: `scalelens --screenshot` writes indexed PNGs a fraction the size
// of 32-bit ones, so the README screenshots (every view, two themes, two sizes) stay small.
#pragma once

#include <QImage>

namespace scalelens::app {

// The image with at most 256 colours (QImage::Format_Indexed8): the most frequent colours,
// binned to 5 bits a channel and averaged, with every other colour mapped to the nearest of
// them. A window grab has few colours, so text, lines and markers keep theirs to within 4
// levels a channel; an image with at most 256 distinct colours is reproduced exactly.
QImage toIndexed8(const QImage& image);

}  // namespace scalelens::app
