import { describe, expect, it } from 'vitest';
import { normaliseAddress } from '../../src/resolution/normalise/address.ts';
import { normaliseBr, normaliseCr } from '../../src/resolution/normalise/br.ts';
import { normaliseDate } from '../../src/resolution/normalise/date.ts';
import { hkidCheckCharacter, normaliseHkid } from '../../src/resolution/normalise/hkid.ts';
import { isHan, normaliseCompanyName, normalisePersonName } from '../../src/resolution/normalise/name.ts';
import { normalisePhone } from '../../src/resolution/normalise/phone.ts';
import { segmentSyllables } from '../../src/resolution/normalise/syllables.ts';
import { normaliseVehicleMark, vehicleMatchKey } from '../../src/resolution/normalise/vehicle.ts';

describe('normaliseHkid', () => {
  it('validates the check character (HK-IDENTIFIERS examples)', () => {
    expect(normaliseHkid('A123456(3)')).toEqual({ value: 'A1234563', valid: true });
    expect(normaliseHkid('CA182361(1)')).toEqual({ value: 'CA1823611', valid: true });
    expect(normaliseHkid('C876300(0)')).toEqual({ value: 'C8763000', valid: false });
    expect(hkidCheckCharacter('C', '876300')).toBe('1');
  });

  it('accepts any case, with or without brackets and spaces', () => {
    for (const raw of ['a1234563', 'A123456 (3)', ' a 123456(3) ', 'A1234563']) {
      expect(normaliseHkid(raw)).toEqual({ value: 'A1234563', valid: true });
    }
  });

  it('writes check value 10 as A', () => {
    const check = hkidCheckCharacter('Z', '683365');
    expect(check).toBe('A'); // 36·9 + 35·8 + 6·7 + 8·6 + 3·5 + 3·4 + 6·3 + 5·2 = 749; 749 mod 11 = 1 → 10
    expect(normaliseHkid('Z683365(A)')).toEqual({ value: 'Z683365A', valid: true });
  });

  it('marks a wrong check character invalid but keeps the value', () => {
    expect(normaliseHkid('A123456(4)')).toEqual({ value: 'A1234564', valid: false });
  });

  it('returns null for text that is not HKID-shaped', () => {
    for (const raw of ['AB1234', '1234567', 'ABC123456(7)', 'A12345(6)', 'A123456(B)', '']) {
      expect(normaliseHkid(raw)).toBeNull();
    }
  });
});

describe('normaliseBr / normaliseCr', () => {
  it('takes the first 8 digits of the certificate number', () => {
    expect(normaliseBr('12345678-000-01-24-5')).toEqual({ value: '12345678', valid: true });
    expect(normaliseBr('12345678-000')).toEqual({ value: '12345678', valid: true });
    expect(normaliseBr('1234567800001245')).toEqual({ value: '12345678', valid: true });
  });

  it('drops spaces and dashes', () => {
    expect(normaliseBr(' 1234 5678 ')).toEqual({ value: '12345678', valid: true });
    expect(normaliseBr('1234-5678')).toEqual({ value: '12345678', valid: true });
  });

  it('accepts the dummy derived from an old company number', () => {
    expect(normaliseBr('c0012345')).toEqual({ value: 'C0012345', valid: true });
  });

  it('marks wrong lengths and the all-zero placeholder invalid, non-numbers null', () => {
    expect(normaliseBr('1234567')).toEqual({ value: '1234567', valid: false });
    expect(normaliseBr('00000000')).toEqual({ value: '00000000', valid: false });
    expect(normaliseBr('ABC Ltd')).toBeNull();
  });

  it('pads old company numbers to C + 7 digits', () => {
    for (const raw of ['CR 12345', 'CR No. 12345', '12345', 'C0012345', 'cr12345']) {
      expect(normaliseCr(raw)).toEqual({ value: 'C0012345', valid: true });
    }
    expect(normaliseCr('12345678')).toBeNull();
  });
});

describe('normaliseVehicleMark', () => {
  it('upper-cases and drops spaces', () => {
    expect(normaliseVehicleMark('ab 1234')).toEqual({ value: 'AB1234', valid: true });
    expect(normaliseVehicleMark('8')).toEqual({ value: '8', valid: true });
    expect(normaliseVehicleMark('P1G P1G')).toEqual({ value: 'P1GP1G', valid: true });
    expect(normaliseVehicleMark('FU 123')).toEqual({ value: 'FU123', valid: true });
  });

  it('folds I/O misreadings in ordinary-looking marks', () => {
    expect(vehicleMatchKey('ABI234')).toBe('AB1234');
    expect(vehicleMatchKey('AB12O4')).toBe('AB1204');
    expect(normaliseVehicleMark('AB I234')).toEqual({ value: 'ABI234', valid: true });
    // Personalised marks are not folded: no digits, or too long to be ordinary.
    expect(vehicleMatchKey('BOI')).toBe('BOI');
  });

  it('marks letters I, O, Q (never issued) invalid', () => {
    expect(normaliseVehicleMark('PIG PIG')?.valid).toBe(false);
    expect(normaliseVehicleMark('QQ 1')?.valid).toBe(false);
  });

  it('returns null when not mark-shaped', () => {
    for (const raw of ['ABCDEFGH9', 'AB  1234', 'AB-1234', '', '粵Z1234港']) {
      expect(normaliseVehicleMark(raw)).toBeNull();
    }
  });
});

describe('normalisePhone', () => {
  it('stores Hong Kong numbers as +852 and 8 digits', () => {
    for (const raw of ['+852 9123 4567', '852-9123-4567', '(852) 9123 4567', '9123 4567', '00852 91234567', '+852-9123-4567']) {
      expect(normalisePhone(raw)).toEqual({ value: '+85291234567', valid: true });
    }
    expect(normalisePhone('2123-4567')).toEqual({ value: '+85221234567', valid: true });
  });

  it('marks Hong Kong numbers that cannot be subscriber numbers invalid', () => {
    expect(normalisePhone('1234 5678')).toEqual({ value: '+85212345678', valid: false });
    expect(normalisePhone('+852 1234567')).toEqual({ value: '+8521234567', valid: false });
  });

  it('keeps other international numbers', () => {
    expect(normalisePhone('+86 138 0013 8000')).toEqual({ value: '+8613800138000', valid: true });
    expect(normalisePhone('0086 13800138000')).toEqual({ value: '+8613800138000', valid: true });
    expect(normalisePhone('+44 20')).toEqual({ value: '+4420', valid: false });
  });

  it('returns null for non-numbers', () => {
    expect(normalisePhone('call me')).toBeNull();
    expect(normalisePhone('12')).toBeNull();
  });
});

describe('normalisePersonName', () => {
  const chanTaiMan = {
    surname: 'CHAN',
    given: ['TAI', 'MAN'],
    key: 'CHAN MAN TAI',
    compact: ['CHANTAIMAN', 'TAIMANCHAN'],
    script: 'latin',
  };

  it.each(['CHAN Tai Man', 'CHAN Tai-man', 'Chan Taiman', 'CHAN, Tai Man', 'Chan, Tai Man', 'CHAN TAI MAN', 'Mr CHAN Tai Man'])(
    'reads %s as CHAN Tai Man',
    (raw) => {
      expect(normalisePersonName(raw)).toMatchObject({ ...chanTaiMan, tokens: ['CHAN', 'TAI', 'MAN'] });
    },
  );

  it('finds a capitalised surname written last', () => {
    expect(normalisePersonName('Tai Man CHAN')).toMatchObject({ ...chanTaiMan, tokens: ['TAI', 'MAN', 'CHAN'] });
  });

  it('keeps a Western given name as a given token', () => {
    const n = normalisePersonName('Peter CHAN Tai-man');
    expect(n.surname).toBe('CHAN');
    expect(n.given).toEqual(['PETER', 'TAI', 'MAN']);
    expect(n.key).toBe('CHAN MAN PETER TAI');
  });

  it('splits joined syllables only when the whole token segments', () => {
    expect(normalisePersonName('Wong Kaming').given).toEqual(['KA', 'MING']);
    expect(normalisePersonName('Lee Siuming').given).toEqual(['SIU', 'MING']);
    expect(normalisePersonName('WONG Kelvin').given).toEqual(['KELVIN']);
    expect(segmentSyllables('KAMAN')).toEqual(['KA', 'MAN']);
    expect(segmentSyllables('PETER')).toBeNull();
  });

  it('joins a compound surname the name marks as surname', () => {
    expect(normalisePersonName('AU YEUNG Ka Man')).toMatchObject({ surname: 'AUYEUNG', given: ['KA', 'MAN'] });
    expect(normalisePersonName('Auyeung Ka Man')).toMatchObject({ surname: 'AUYEUNG', given: ['KA', 'MAN'] });
    expect(normalisePersonName('Cheung Sun Man')).toMatchObject({ surname: 'CHEUNG', given: ['SUN', 'MAN'] });
  });

  it('treats Chinese names as characters with one- or two-character surnames', () => {
    expect(normalisePersonName('陳 大文')).toEqual({
      tokens: ['陳', '大', '文'],
      surname: '陳',
      given: ['大', '文'],
      key: '陳大文',
      compact: ['陳大文'],
      script: 'han',
    });
    expect(normalisePersonName('歐陽大文')).toMatchObject({ surname: '歐陽', given: ['大', '文'] });
    expect(normalisePersonName('司徒文')).toMatchObject({ surname: '司徒', given: ['文'] });
  });

  it('isHan tells Chinese from romanised text', () => {
    expect(isHan('陳大文')).toBe(true);
    expect(isHan('CHAN Tai Man')).toBe(false);
    expect(isHan('陳大文 CHAN')).toBe(false);
  });
});

describe('normaliseCompanyName', () => {
  it('drops legal forms, place and generic trade words', () => {
    for (const raw of ['ABC Trading Co., Ltd.', 'ABC (H.K.) Limited', 'ABC Company Limited', 'ABC Hong Kong Ltd', 'abc enterprises inc']) {
      expect(normaliseCompanyName(raw)).toMatchObject({ distinctive: ['ABC'], key: 'ABC', compact: ['ABC'], script: 'latin' });
    }
  });

  it('keeps Holdings and International as distinctive', () => {
    expect(normaliseCompanyName('ABC Holdings Limited').key).toBe('ABC HOLDINGS');
    expect(normaliseCompanyName('ABC International Trading Co Ltd').key).toBe('ABC INTERNATIONAL');
  });

  it('spells & as AND', () => {
    expect(normaliseCompanyName('Chan & Sons Co. Ltd.')).toMatchObject({ key: 'CHAN AND SONS', compact: ['CHANANDSONS'] });
  });

  it('keeps all words of a name that is nothing but noise', () => {
    expect(normaliseCompanyName('Hong Kong Trading Co Ltd').key).toBe('HONGKONG TRADING CO LTD');
  });

  it('strips Chinese legal forms, 香港 and 貿易, keeps 集團', () => {
    expect(normaliseCompanyName('大文貿易有限公司')).toMatchObject({ key: '大文', compact: ['大文'], script: 'han' });
    expect(normaliseCompanyName('大文（香港）有限公司').key).toBe('大文');
    expect(normaliseCompanyName('大文集團有限公司').key).toBe('大文集團');
  });
});

describe('normaliseAddress', () => {
  it('folds punctuation and abbreviations and drops a trailing region', () => {
    const a = normaliseAddress('Flat A, 12/F, Wing On Bldg., 1 Nathan Rd, Kowloon, Hong Kong');
    const b = normaliseAddress('FLT A 12 FL WING ON BUILDING 1 NATHAN ROAD KOWLOON HK');
    expect(a).toBe('FLAT A 12 FLOOR WING ON BUILDING 1 NATHAN ROAD');
    const nt = 'FLAT 12A 8 FLOOR KWAI CHUNG PLAZA 7 KWAI FOO ROAD KWAI CHUNG';
    expect(normaliseAddress('Flat 12A, 8/F, Kwai Chung Plaza, 7 Kwai Foo Road, Kwai Chung, N.T.')).toBe(nt);
    expect(normaliseAddress('Flat 12A, 8/F, Kwai Chung Plaza, 7 Kwai Foo Rd, Kwai Chung, New Territories')).toBe(nt);
    expect(normaliseAddress('Unit 1203, 12/F, Wing Hing Ind. Bldg, 14 Hung To Rd, Kwun Tong, Kln')).toBe(
      'UNIT 1203 12 FLOOR WING HING INDUSTRIAL BUILDING 14 HUNG TO ROAD KWUN TONG',
    );
    expect(b).toBe(a);
    expect(normaliseAddress("G/F, 3 Queen's Rd Central")).toBe('G FLOOR 3 QUEENS ROAD CENTRAL');
  });

  it('only strips spaces from Chinese addresses', () => {
    expect(normaliseAddress('九龍 彌敦道 1號 ')).toBe('九龍彌敦道1號');
  });

  it('returns null for an empty address', () => {
    expect(normaliseAddress(' , ')).toBeNull();
  });
});

describe('normaliseDate', () => {
  it.each(['1980-05-01', '01/05/1980', '1/5/1980', '19800501', '1980-05-01T00:00:00Z', '1980-05-01T23:30:00+08:00', '1980/05/01'])(
    'reads %s as 1 May 1980',
    (raw) => expect(normaliseDate(raw)).toBe('1980-05-01'),
  );

  it('rejects impossible dates and other text', () => {
    expect(normaliseDate('31/02/1980')).toBeNull();
    expect(normaliseDate('1980-13-01')).toBeNull();
    expect(normaliseDate('May 1980')).toBeNull();
  });
});
