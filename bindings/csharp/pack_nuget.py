#!/usr/bin/env python3
"""Builds the NuGet package of the C# wrapper without a .NET SDK (a .nupkg is a zip: the nuspec,
[Content_Types].xml, _rels/.rels and the files).

    pack_nuget.py --version 0.1.0 --lib Exto360.dll --lib Exto360.dll.config \
                  --native linux-x64=libexto360.so --out DIR

Layout: lib/net45/ (the managed wrapper and its Mono config), runtimes/<rid>/native/ (libexto360).
The metadata keeps to the nuspec elements every NuGet client reads (Debian's 2.8.7 included).
"""
import argparse
import os
import zipfile
from xml.sax.saxutils import escape

ID = "Exto360"
DESCRIPTION = ("The Exto360 Data API from .NET: a thin P/Invoke wrapper over libexto360 (rate limiting, "
               "retries, paging and bulk writes in the native Rust core). Results are JSON strings; "
               "errors are Exto360Exception with kind, HTTP status and server details.")
REPO = "https://github.com/exto360/exto360-sdk"

NUSPEC = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd">
  <metadata>
    <id>{id}</id>
    <version>{version}</version>
    <title>Exto360 Data API client</title>
    <authors>exto360</authors>
    <owners>exto360</owners>
    <licenseUrl>https://www.apache.org/licenses/LICENSE-2.0</licenseUrl>
    <projectUrl>{repo}</projectUrl>
    <requireLicenseAcceptance>false</requireLicenseAcceptance>
    <description>{description}</description>
    <releaseNotes>{repo}/blob/main/CHANGELOG.md</releaseNotes>
    <tags>exto360 api client sdk native</tags>
    <frameworkAssemblies>
      <frameworkAssembly assemblyName="System.Json" targetFramework=".NETFramework4.5" />
    </frameworkAssemblies>
  </metadata>
</package>
"""

CONTENT_TYPES = """<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />
  <Default Extension="nuspec" ContentType="application/octet" />
  <Default Extension="dll" ContentType="application/octet" />
  <Default Extension="config" ContentType="application/octet" />
  <Default Extension="so" ContentType="application/octet" />
</Types>
"""

RELS = """<?xml version="1.0" encoding="utf-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/{id}.nuspec" Id="R0" />
</Relationships>
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", required=True)
    ap.add_argument("--lib", action="append", required=True, help="a file for lib/net45/")
    ap.add_argument("--native", action="append", required=True, help="RID=path of the native library")
    ap.add_argument("--out", required=True, help="the folder (feed) to write the .nupkg to")
    a = ap.parse_args()

    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, f"{ID}.{a.version}.nupkg")
    fields = {"id": ID, "version": escape(a.version), "repo": REPO, "description": escape(DESCRIPTION)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{ID}.nuspec", NUSPEC.format(**fields))
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS.format(id=ID))
        for f in a.lib:
            z.write(f, f"lib/net45/{os.path.basename(f)}")
        for spec in a.native:
            rid, _, f = spec.partition("=")
            if not rid or not f:
                ap.error(f"--native wants RID=path, got {spec!r}")
            z.write(f, f"runtimes/{rid}/native/{os.path.basename(f)}")
    print(path)


if __name__ == "__main__":
    main()
