#!/usr/bin/env bash
# Fails when packaging/dev.sh no longer installs what the build uses.
#
#   bash packaging/check_dev_packages.sh CMakeCache.txt [PACKAGE...]
#
# For every CMake package configuration file the build found (the <Name>_DIR entries of
# CMakeCache.txt whose folder holds <Name>Config.cmake or <name>-config.cmake), finds the Debian
# package that owns it (dpkg -S) and requires that the package is in the list, or is reached from
# it through Depends / Pre-Depends of the installed packages (dpkg-query): what
# `apt-get install --no-install-recommends` brings. The list defaults to
# `bash packaging/dev.sh list-packages build`. Debian/Ubuntu only.
set -euo pipefail

if (($# < 1)); then
    echo "usage: check_dev_packages.sh CMakeCache.txt [PACKAGE...]" >&2
    exit 2
fi
cache=$1
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if (($# > 0)); then
    listed=("$@")
else
    mapfile -t listed < <(bash "$here/dev.sh" list-packages build)
fi
if [[ ! -r "$cache" ]]; then
    echo "check_dev_packages: cannot read $cache" >&2
    exit 2
fi
command -v dpkg-query >/dev/null || { echo "check_dev_packages: needs dpkg (Debian/Ubuntu)" >&2; exit 2; }

# Closure of the list over Depends and Pre-Depends among installed packages.
declare -A reached=()
while IFS= read -r pkg; do
    reached[$pkg]=1
done < <(dpkg-query -W -f='${Package}\t${Status}\t${Pre-Depends}, ${Depends}\n' |
    awk -F'\t' -v roots="${listed[*]}" '
        $2 == "install ok installed" {
            d = $3
            gsub(/\([^)]*\)/, "", d)       # version constraints
            gsub(/:[a-z0-9]+/, "", d)       # :any, :amd64
            gsub(/[,|]/, " ", d)            # alternatives count when installed
            deps[$1] = d
        }
        END {
            n = split(roots, queue, " ")
            for (i = 1; i <= n; i++) {
                p = queue[i]
                if (p in seen) continue
                seen[p] = 1
                print p
                if (!(p in deps)) continue
                m = split(deps[p], ds, " ")
                for (j = 1; j <= m; j++)
                    if ((ds[j] in deps) && !(ds[j] in seen)) queue[++n] = ds[j]
            }
        }')

# The configuration files, then their owners in one dpkg -S call (it reads the whole database).
names=()
configs=()
while IFS= read -r line; do
    name=${line%%_DIR:*}
    dir=${line#*=}
    [[ "$name" == *_INCLUDE || "$dir" == *-NOTFOUND || ! -d "$dir" ]] && continue
    lower=$(tr '[:upper:]' '[:lower:]' <<<"$name")
    for f in "$dir/${name}Config.cmake" "$dir/${lower}-config.cmake"; do
        if [[ -f "$f" ]]; then
            names+=("$name")
            configs+=("$(realpath "$f")")
            break
        fi
    done
done < <(grep -E '^[A-Za-z0-9_.+-]+_DIR:PATH=' "$cache")
if ((${#configs[@]} == 0)); then
    echo "$cache: no CMake package configuration found in *_DIR entries" >&2
    exit 1
fi
# usrmerge: dpkg may know /lib/... for /usr/lib/... and the other way round.
queries=()
for f in "${configs[@]}"; do
    alt=${f#/usr}
    [[ "$alt" == "$f" ]] && alt=/usr$f
    queries+=("$f" "$alt")
done
declare -A owner=()
while IFS= read -r line; do
    file=${line##*: }
    pkg=${line%%: /*}
    pkg=${pkg%%,*}
    owner[$file]=${pkg%%:*}
done < <(dpkg -S "${queries[@]}" 2>/dev/null || true)

status=0
for i in "${!configs[@]}"; do
    f=${configs[$i]}
    alt=${f#/usr}
    [[ "$alt" == "$f" ]] && alt=/usr$f
    pkg=${owner[$f]:-${owner[$alt]:-}}
    if [[ -z "$pkg" ]]; then
        echo "$cache: ${names[$i]}_DIR: $f belongs to no Debian package;" \
            "dev.sh cannot install it on a fresh machine" >&2
        status=1
    elif [[ -z "${reached[$pkg]:-}" ]]; then
        echo "$cache: ${names[$i]}_DIR: $f comes from '$pkg', which packaging/dev.sh does not" \
            "install (neither listed nor a Depends of a listed package)" >&2
        status=1
    fi
done
checked=${#configs[@]}
if ((status == 0)); then
    echo "check_dev_packages: $checked CMake packages, each from a package dev.sh installs"
fi
exit $status
