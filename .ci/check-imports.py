#!/usr/bin/env python3
"""Checks the module layering: every target imports only modules Package.swift declares
for it, and no rendering module imports a kernel module.

Usage: check-imports.py [--root DIR] [--manifest FILE]
  --root DIR       the tree whose Sources/ and Tests/ are read (default: this repository)
  --manifest FILE  `swift package dump-package` output (default: run it in the repository)
Prints one line per violation and exits 1 when there is any, 0 otherwise.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Modules that talk to the kernel or /proc, and the layers that must stay free of them.
KERNEL = {"Netlink", "RouteNetlink", "SockDiag", "EthtoolNetlink", "ProcNet", "CMnl", "CNetlinkHeaders"}
RENDERING = {"NetRender", "NetOutput", "NetAnalysis", "NetMetrics"}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|@_exported\s+)?import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def dependencies(target):
    names = []
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.append(dependency[kind][0])
    return names


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=here)
    parser.add_argument("--manifest")
    options = parser.parse_args()
    if options.manifest:
        with open(options.manifest) as f:
            manifest = json.load(f)
    else:
        # A scratch path of its own: the package's .build may be locked by a running build or
        # test, and dump-package would wait for it.
        scratch = tempfile.mkdtemp(prefix="nst-manifest-")
        try:
            manifest = json.loads(subprocess.check_output(["swift", "package", "--scratch-path", scratch, "dump-package"], cwd=here))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    targets = {t["name"]: t for t in manifest["targets"]}
    # Every module the package can see: its targets and the products it depends on.
    known = set(targets)
    for target in targets.values():
        known.update(dependencies(target))
    violations = []
    for name, target in sorted(targets.items()):
        if target["type"] == "system":
            continue
        default = "Tests" if target["type"] == "test" else "Sources"
        directory = os.path.join(options.root, target.get("path") or os.path.join(default, name))
        declared = set(dependencies(target))
        if name in RENDERING:
            for module in sorted(declared & KERNEL):
                violations.append(f"Package.swift: rendering module {name} depends on kernel module {module}")
        for folder, _, files in os.walk(directory):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(folder, file)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for match in IMPORT.finditer(text):
                    module = match.group(1)
                    line = text.count("\n", 0, match.start()) + 1
                    shown = os.path.relpath(path, options.root)
                    if name in RENDERING and module in KERNEL:
                        violations.append(f"{shown}:{line}: rendering module {name} imports kernel module {module}")
                    elif module in known and module != name and module not in declared:
                        violations.append(f"{shown}:{line}: {name} imports {module}, which Package.swift does not declare for it")
    for violation in violations:
        print(violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
