// Every sub-command answers --help and -h with its usage on stdout and exit code 0.
#include "cli_runner.h"
#include "scalelens_catch.h"

using scalelens::test::runCli;

TEST_CASE("every command prints its usage for --help and -h", "[cli][help]") {
    for (const char* command : {"import", "runs", "example", "fit", "allocate", "optimal-hparams",
                                "density", "knowledge", "plot"}) {
        for (const char* flag : {"--help", "-h"}) {
            INFO(command << " " << flag);
            const auto r = runCli({QString::fromLatin1(command), QString::fromLatin1(flag)});
            CHECK(r.exitCode == 0);
            CHECK(r.out.contains("Usage"));
        }
    }
}
