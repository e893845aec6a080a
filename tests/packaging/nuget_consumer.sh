#!/usr/bin/env bash
# Installs the Exto360 NuGet package from a folder feed into an empty project with a real NuGet
# client (Debian's nuget), builds the C# quick start against the package alone, and runs it
# against an emulator process — twice: referencing the package in place (packages.config style)
# and as published (Exto360.dll and runtimes/ copied next to the .exe).
#   nuget_consumer.sh FEED_DIR VERSION EMULATOR_BIN
set -euo pipefail
feed=$(cd "$1" && pwd) version=$2 emulator=$3
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
nuget install Exto360 -Version "$version" -Source "$feed" -OutputDirectory packages -NonInteractive > nuget.log \
    || { cat nuget.log; exit 1; }
pkg=packages/Exto360.$version
test -f "$pkg/lib/net45/Exto360.dll" && test -f "$pkg/runtimes/linux-x64/native/libexto360.so"
mcs -nologo -out:Quickstart.exe -r:"$pkg/lib/net45/Exto360.dll" -r:System.Json.dll "$here/bindings/csharp/examples/Quickstart.cs"

# In place: Mono finds Exto360.dll in the package (MONO_PATH); the wrapper finds
# runtimes/linux-x64/native/libexto360.so beside it. Nothing is on LD_LIBRARY_PATH.
env -u LD_LIBRARY_PATH MONO_PATH="$pkg/lib/net45" "$here/tests/packaging/with_emulator.sh" "$emulator" mono Quickstart.exe

# Published layout (what `dotnet publish` makes): lib files and runtimes/ next to the .exe.
mkdir -p publish
cp Quickstart.exe "$pkg"/lib/net45/* publish/
cp -r "$pkg/runtimes" publish/
env -u LD_LIBRARY_PATH "$here/tests/packaging/with_emulator.sh" "$emulator" mono publish/Quickstart.exe
