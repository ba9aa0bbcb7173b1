import { describe, expect, it } from 'vitest';
import { matchKey, normaliseIdentifier, STRONG_SCHEMES } from '../../src/resolution/identifiers.ts';
import { recognise } from '../../src/resolution/recognise.ts';

describe('normaliseIdentifier', () => {
  it('dispatches on scheme', () => {
    expect(normaliseIdentifier({ scheme: 'hkid', value: 'a123456(3)' })).toEqual({ scheme: 'hkid', value: 'A1234563', valid: true });
    expect(normaliseIdentifier({ scheme: 'br', value: '12345678-000-01-24-5' })).toEqual({ scheme: 'br', value: '12345678', valid: true });
    expect(normaliseIdentifier({ scheme: 'cr', value: 'CR 12345' })).toEqual({ scheme: 'cr', value: 'C0012345', valid: true });
    expect(normaliseIdentifier({ scheme: 'vehicle_mark', value: 'ab 1234' })).toEqual({ scheme: 'vehicle_mark', value: 'AB1234', valid: true });
    expect(normaliseIdentifier({ scheme: 'phone', value: '9123 4567' })).toEqual({ scheme: 'phone', value: '+85291234567', valid: true });
    expect(normaliseIdentifier({ scheme: 'passport', value: 'k 1234 5678' })).toEqual({ scheme: 'passport', value: 'K12345678', valid: true });
    expect(normaliseIdentifier({ scheme: 'passport', value: 'K1' })).toEqual({ scheme: 'passport', value: 'K1', valid: false });
  });

  it('keeps a known-scheme value of the wrong shape as invalid', () => {
    expect(normaliseIdentifier({ scheme: 'hkid', value: ' unknown ' })).toEqual({ scheme: 'hkid', value: 'UNKNOWN', valid: false });
  });

  it('upper-cases unknown schemes and trusts them', () => {
    expect(normaliseIdentifier({ scheme: 'Customs_Ref', value: ' ab-12 ' })).toEqual({ scheme: 'customs_ref', value: 'AB-12', valid: true });
  });

  it('compares BR dummies with CR numbers and vehicle marks with I/O folded', () => {
    expect(matchKey(normaliseIdentifier({ scheme: 'br', value: 'C0012345' }))).toBe(matchKey(normaliseIdentifier({ scheme: 'cr', value: 'CR 12345' })));
    expect(matchKey(normaliseIdentifier({ scheme: 'vehicle_mark', value: 'AB I234' }))).toBe('vehicle_mark:AB1234');
  });

  it('lists strong schemes per subject type', () => {
    expect(STRONG_SCHEMES).toEqual({ person: ['hkid', 'passport'], company: ['br', 'cr'], vehicle: ['vehicle_mark'] });
  });
});

describe('recognise', () => {
  it('finds HKIDs', () => {
    expect(recognise('A123456(3)')).toEqual({ identifiers: [{ scheme: 'hkid', value: 'A1234563' }] });
    expect(recognise(' a1234563 ')).toEqual({ identifiers: [{ scheme: 'hkid', value: 'A1234563' }] });
  });

  it('reads 8 digits as a BR number and, starting 2–9, as a phone too', () => {
    expect(recognise('91234567')).toEqual({
      identifiers: [{ scheme: 'br', value: '91234567' }, { scheme: 'phone', value: '+85291234567' }],
    });
    expect(recognise('12345678')).toEqual({ identifiers: [{ scheme: 'br', value: '12345678' }] });
  });

  it('reads the BR certificate number', () => {
    expect(recognise('12345678-000-01-24-5')).toEqual({ identifiers: [{ scheme: 'br', value: '12345678' }] });
  });

  it('reads vehicle marks rather than names', () => {
    expect(recognise('AB1234')).toEqual({ identifiers: [{ scheme: 'vehicle_mark', value: 'AB1234' }] });
    expect(recognise('AB 1234')).toEqual({ identifiers: [{ scheme: 'vehicle_mark', value: 'AB1234' }] });
    expect(recognise('8')).toEqual({ identifiers: [{ scheme: 'vehicle_mark', value: '8' }] });
  });

  it('reads international phone numbers', () => {
    expect(recognise('+852 9123 4567')).toEqual({ identifiers: [{ scheme: 'phone', value: '+85291234567' }] });
    expect(recognise('+86 138 0013 8000')).toEqual({ identifiers: [{ scheme: 'phone', value: '+8613800138000' }] });
  });

  it('reads passports and old company numbers', () => {
    expect(recognise('K12345678')).toEqual({ identifiers: [{ scheme: 'passport', value: 'K12345678' }] });
    expect(recognise('CR 12345')).toEqual({ identifiers: [{ scheme: 'cr', value: 'C0012345' }] });
  });

  it('reads anything else with letters as a name', () => {
    expect(recognise('CHAN Tai Man')).toEqual({ identifiers: [], name: 'CHAN Tai Man' });
    expect(recognise('陳大文')).toEqual({ identifiers: [], name: '陳大文' });
    expect(recognise('ABC Trading Co Ltd')).toEqual({ identifiers: [], name: 'ABC Trading Co Ltd' });
  });

  it('separates a name from identifiers typed with it', () => {
    expect(recognise('CHAN Tai Man A123456(3)')).toEqual({
      identifiers: [{ scheme: 'hkid', value: 'A1234563' }],
      name: 'CHAN Tai Man',
    });
  });

  it('returns nothing for empty text or punctuation', () => {
    expect(recognise('   ')).toEqual({ identifiers: [] });
    expect(recognise('--')).toEqual({ identifiers: [] });
  });
});
