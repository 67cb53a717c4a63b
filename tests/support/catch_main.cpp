// Catch2 main for the areas without Qt widgets (works with Catch2 v2 and v3).
#define CATCH_CONFIG_RUNNER
#include "scalelens_catch.h"

int main(int argc, char** argv) {
    return Catch::Session().run(argc, argv);
}
