import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/connectors/mapping.ts';
import { compileSql } from '../../src/connectors/sql-template.ts';

describe('field mapping', () => {
  const map = compileMapping(
    'rocars',
    'person',
    {
      key: '{{consignmentNo}}:driver',
      names: [{ field: 'driver.name' }],
      identifiers: [{ scheme: 'hkid', field: 'driver.hkid' }],
      attributes: { phone: 'driver.phone' },
      links: [
        { type: 'driver_of', targetType: 'vehicle', identifiers: [{ scheme: 'vehicle_mark', field: 'vehicleMark' }] },
        { each: 'parties', type: '{{role}}_of', targetType: '{{kind}}', identifiers: [{ scheme: 'br', field: 'br' }], name: 'name' },
      ],
      level: { field: 'level' },
      cases: { field: 'cases' },
      observedAt: 'date',
      fields: { consignment: 'consignmentNo', goods: 'goods' },
    },
    3,
  );

  it('maps nested paths, templates, per-item links and labels', () => {
    const rec = map({
      consignmentNo: 'C1',
      driver: { name: ' CHAN TAI MAN ', hkid: 'A1234563', phone: '' },
      vehicleMark: 'AB 1234',
      parties: [
        { role: 'shipper', kind: 'company', br: '12345678', name: 'Tai Man Trading' },
        { role: 'agent', kind: 'martian', br: '1' },
      ],
      level: '1',
      cases: ['CASE-1', null],
      date: '2026-01-02',
      goods: 'cigarettes',
    });
    expect(rec).toEqual({
      source: 'rocars',
      key: 'C1:driver',
      type: 'person',
      names: [{ value: 'CHAN TAI MAN' }],
      identifiers: [{ scheme: 'hkid', value: 'A1234563' }],
      attributes: {},
      links: [
        { type: 'driver_of', target: { type: 'vehicle', identifiers: [{ scheme: 'vehicle_mark', value: 'AB 1234' }] } },
        { type: 'shipper_of', target: { type: 'company', identifiers: [{ scheme: 'br', value: '12345678' }], name: 'Tai Man Trading' } },
      ],
      level: 1,
      cases: ['CASE-1'],
      observedAt: '2026-01-02',
      fields: { consignment: 'C1', goods: 'cigarettes' },
    });
  });

  it('drops a row whose key cannot be made, and gives an unreadable level the declared default', () => {
    expect(map({ driver: { name: 'X' } })).toBeUndefined();
    expect(map({ consignmentNo: 'C2', level: 'secret' })!.level).toBe(3);
  });
});

describe('SQL templates', () => {
  it('turns named parameters into positional ones, once per name, leaving casts and strings alone', () => {
    const c = compileSql("SELECT :value::text, ':limit', \":x\" FROM t WHERE a = :value OR b = ANY(:compact) LIMIT :limit", (n) => `$${n}`);
    expect(c.text).toBe("SELECT $1::text, ':limit', \":x\" FROM t WHERE a = $1 OR b = ANY($2) LIMIT $3");
    expect(c.order).toEqual(['value', 'compact', 'limit']);
  });

  it('refuses an unknown parameter', () => {
    expect(() => compileSql('SELECT * FROM t WHERE a = :password', (n) => `$${n}`)).toThrow(/unknown parameter :password/);
  });
});
