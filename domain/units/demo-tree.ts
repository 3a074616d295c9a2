/**
 * The demo tree, taken from the seed documents: Cục Thông tin cơ sở writes to the Sở Thông
 * tin và Truyền thông of the provinces, who direct the district radio-television stations,
 * who direct the commune radio stations ("hệ thống cơ sở truyền thanh - truyền hình cấp
 * huyện và đài truyền thanh cấp xã"). Three provinces, two districts each, two communes each.
 */
import type { UnitInput } from './tree';

/** Code of the demo tree's root, Cục Thông tin cơ sở. */
const DEMO_ROOT_CODE = 'TTCS';

interface DemoProvince {
  key: string;
  name: string;
  districts: Array<{ key: string; name: string; communes: Array<{ key: string; name: string }> }>;
}

// Real place names (GSO data), short keys so that codes read like "VP-LT-QS".
const provinces: DemoProvince[] = [
  {
    key: 'VP',
    name: 'Vĩnh Phúc',
    districts: [
      {
        key: 'LT',
        name: 'Lập Thạch',
        communes: [
          { key: 'QS', name: 'Quang Sơn' },
          { key: 'NM', name: 'Ngọc Mỹ' },
        ],
      },
      {
        key: 'TD',
        name: 'Tam Dương',
        communes: [
          { key: 'HH', name: 'Hoàng Hoa' },
          { key: 'DT', name: 'Đồng Tĩnh' },
        ],
      },
    ],
  },
  {
    key: 'PT',
    name: 'Phú Thọ',
    districts: [
      {
        key: 'DH',
        name: 'Đoan Hùng',
        communes: [
          { key: 'HX', name: 'Hùng Xuyên' },
          { key: 'BL', name: 'Bằng Luân' },
        ],
      },
      {
        key: 'TB',
        name: 'Thanh Ba',
        communes: [
          { key: 'VL', name: 'Vân Lĩnh' },
          { key: 'DL', name: 'Đông Lĩnh' },
        ],
      },
    ],
  },
  {
    key: 'BN',
    name: 'Bắc Ninh',
    districts: [
      {
        key: 'YP',
        name: 'Yên Phong',
        communes: [
          { key: 'DL', name: 'Dũng Liệt' },
          { key: 'TD', name: 'Tam Đa' },
        ],
      },
      {
        key: 'GB',
        name: 'Gia Bình',
        communes: [
          { key: 'VN', name: 'Vạn Ninh' },
          { key: 'TB', name: 'Thái Bảo' },
        ],
      },
    ],
  },
];

/**
 * The 22 demo units (1 central, 3 province, 6 district, 12 commune), parents first.
 * Codes: "TTCS", "STTTT-VP", "VP-LT" (district station), "VP-LT-QS" (commune station).
 */
export function demoTree(): UnitInput[] {
  const units: UnitInput[] = [
    { code: DEMO_ROOT_CODE, name: 'Cục Thông tin cơ sở', level: 'central', parentCode: null },
  ];
  for (const p of provinces) {
    const provinceCode = `STTTT-${p.key}`;
    units.push({
      code: provinceCode,
      name: `Sở Thông tin và Truyền thông tỉnh ${p.name}`,
      level: 'province',
      parentCode: DEMO_ROOT_CODE,
    });
    for (const d of p.districts) {
      const districtCode = `${p.key}-${d.key}`;
      units.push({
        code: districtCode,
        name: `Đài Truyền thanh - Truyền hình huyện ${d.name}`,
        level: 'district',
        parentCode: provinceCode,
      });
      for (const c of d.communes) {
        units.push({
          code: `${districtCode}-${c.key}`,
          name: `Đài Truyền thanh xã ${c.name}`,
          level: 'commune',
          parentCode: districtCode,
        });
      }
    }
  }
  return units;
}
