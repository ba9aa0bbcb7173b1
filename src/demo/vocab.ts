// Vocabulary for the demo estate: Hong Kong surnames, given-name syllables, places, trades and goods.
// Every Chinese character carries the one government (Cantonese, toneless) romanisation the demo uses,
// so a truth person's English name is always derivable from the Chinese one.

export interface Syllable {
  zh: string;
  en: string;
}

export interface Surname extends Syllable {
  /** Relative frequency among Hong Kong residents (rough, from public surname rankings). */
  weight: number;
}

export const SURNAMES: readonly Surname[] = [
  { zh: '陳', en: 'Chan', weight: 8 },
  { zh: '黃', en: 'Wong', weight: 5.5 },
  { zh: '李', en: 'Lee', weight: 5 },
  { zh: '張', en: 'Cheung', weight: 4 },
  { zh: '梁', en: 'Leung', weight: 3.8 },
  { zh: '林', en: 'Lam', weight: 3.2 },
  { zh: '劉', en: 'Lau', weight: 3 },
  { zh: '吳', en: 'Ng', weight: 2.6 },
  { zh: '何', en: 'Ho', weight: 2.5 },
  { zh: '王', en: 'Wong', weight: 2 },
  { zh: '鄧', en: 'Tang', weight: 2 },
  { zh: '鄭', en: 'Cheng', weight: 2 },
  { zh: '楊', en: 'Yeung', weight: 2 },
  { zh: '郭', en: 'Kwok', weight: 1.6 },
  { zh: '周', en: 'Chow', weight: 1.6 },
  { zh: '麥', en: 'Mak', weight: 1.5 },
  { zh: '曾', en: 'Tsang', weight: 1.5 },
  { zh: '譚', en: 'Tam', weight: 1.4 },
  { zh: '蔡', en: 'Choi', weight: 1.3 },
  { zh: '羅', en: 'Law', weight: 1.3 },
  { zh: '馮', en: 'Fung', weight: 1.2 },
  { zh: '謝', en: 'Tse', weight: 1.1 },
  { zh: '葉', en: 'Yip', weight: 1.1 },
  { zh: '朱', en: 'Chu', weight: 0.9 },
  { zh: '蕭', en: 'Siu', weight: 0.8 },
  { zh: '許', en: 'Hui', weight: 0.8 },
  { zh: '潘', en: 'Poon', weight: 0.8 },
  { zh: '盧', en: 'Lo', weight: 0.8 },
  { zh: '余', en: 'Yu', weight: 0.7 },
  { zh: '胡', en: 'Wu', weight: 0.7 },
  { zh: '鍾', en: 'Chung', weight: 0.7 },
  { zh: '袁', en: 'Yuen', weight: 0.7 },
  { zh: '徐', en: 'Tsui', weight: 0.7 },
  { zh: '黎', en: 'Lai', weight: 0.6 },
  { zh: '彭', en: 'Pang', weight: 0.6 },
  { zh: '莫', en: 'Mok', weight: 0.6 },
  { zh: '江', en: 'Kong', weight: 0.5 },
  { zh: '姚', en: 'Yiu', weight: 0.4 },
  { zh: '呂', en: 'Lui', weight: 0.4 },
  { zh: '杜', en: 'To', weight: 0.4 },
  { zh: '文', en: 'Man', weight: 0.4 },
  { zh: '石', en: 'Shek', weight: 0.3 },
  { zh: '甘', en: 'Kam', weight: 0.3 },
  // Compound surnames: two syllables in English too, which sources write as AU YEUNG, AU-YEUNG or AUYEUNG.
  { zh: '歐陽', en: 'Au Yeung', weight: 0.3 },
  { zh: '司徒', en: 'Szeto', weight: 0.2 },
];

const syllables = (pairs: string): Syllable[] =>
  pairs.split(' ').map((pair) => {
    const [zh, en] = pair.split(':') as [string, string];
    return { zh, en };
  });

export const MALE_SYLLABLES: readonly Syllable[] = syllables(
  '大:Tai 文:Man 志:Chi 明:Ming 偉:Wai 家:Ka 國:Kwok 強:Keung 健:Kin 華:Wah 俊:Chun 傑:Kit 浩:Ho 天:Tin ' +
    '永:Wing 德:Tak 昌:Cheong 輝:Fai 雄:Hung 耀:Yiu 宏:Wang 少:Siu 錦:Kam 海:Hoi 光:Kwong 興:Hing 成:Shing ' +
    '達:Tat 振:Chun 信:Shun 卓:Cheuk 樂:Lok 朗:Long 峰:Fung 鴻:Hung 富:Fu 勝:Shing 培:Pui 基:Kei 添:Tim ' +
    '進:Chun 福:Fuk 坤:Kwan 立:Lap 發:Fat 子:Tsz 嘉:Ka 建:Kin 漢:Hon 東:Tung 學:Hok 順:Shun 安:On 軒:Hin ' +
    '豪:Ho 賢:Yin 智:Chi 聰:Chung 景:King 潤:Yun',
);

export const FEMALE_SYLLABLES: readonly Syllable[] = syllables(
  '美:Mei 玲:Ling 麗:Lai 芳:Fong 秀:Sau 英:Ying 詩:Sze 婷:Ting 欣:Yan 恩:Yan 敏:Man 慧:Wai 儀:Yi 淑:Suk ' +
    '寶:Po 珍:Chun 鳳:Fung 月:Yuet 玉:Yuk 翠:Chui 小:Siu 思:Sze 穎:Wing 晴:Ching 潔:Kit 佩:Pui 琪:Kei 蘭:Lan ' +
    '梅:Mui 雪:Suet 嘉:Ka 家:Ka 雅:Nga 惠:Wai 碧:Pik 燕:Yin 嬋:Shim 桂:Kwai 彩:Choi 靜:Ching 凱:Hoi 琳:Lam ' +
    '君:Kwan 曉:Hiu 子:Tsz 綺:Yee 汶:Man',
);

/** Auspicious syllables Hong Kong firms are named with (永興, 大昌, 榮記…). */
export const BUSINESS_SYLLABLES: readonly Syllable[] = syllables(
  '永:Wing 興:Hing 昌:Cheong 利:Lee 豐:Fung 泰:Tai 隆:Lung 盛:Shing 發:Fat 達:Tat 信:Shun 和:Wo 合:Hop ' +
    '安:On 德:Tak 寶:Po 源:Yuen 恒:Hang 福:Fuk 祥:Cheung 榮:Wing 新:San 華:Wah 金:Kam 順:Shun 大:Tai 東:Tung ' +
    '南:Nam 海:Hoi 威:Wai 聯:Luen 偉:Wai 成:Shing 光:Kwong 富:Fu 益:Yick 天:Tin 生:Sang 裕:Yue 怡:Yee 中:Chung ' +
    '港:Kong 亞:Ah 鴻:Hung 嘉:Ka 萬:Man 協:Hip',
);

/** English trading names with their customary Chinese renderings. */
export const ENGLISH_BRANDS: readonly Syllable[] = syllables(
  '金龍:Golden_Dragon 太平洋:Pacific 東方:Oriental 海港:Harbour 亞洲:Asia 東星:Orient_Star 翡翠:Jade ' +
    '鳳凰:Phoenix 勝利:Victory 長青:Evergreen 彩虹:Rainbow 旭日:Sunrise 銀星:Silver_Star 長城:Great_Wall ' +
    '幸運:Lucky 龍門:Dragon_Gate 水晶:Crystal 珠江:Pearl_River 九龍:Kowloon 華夏:Sino 環球:Global 首都:Capital ' +
    '皇冠:Crown 藍天:Blue_Sky 星光:Starlight 金山:Gold_Mountain 紅棉:Kapok 帝國:Empire 先鋒:Pioneer 百合:Lily',
).map((s) => ({ zh: s.zh, en: s.en.replace('_', ' ') }));

export const WESTERN_NAMES = {
  male: ['Peter', 'David', 'Michael', 'Raymond', 'Kenneth', 'Eric', 'Alan', 'Tony', 'Stephen', 'Patrick', 'Jason', 'Kelvin', 'Wilson', 'Terence', 'Vincent'],
  female: ['Mary', 'Winnie', 'Jenny', 'Ivy', 'Cindy', 'Karen', 'Joyce', 'Grace', 'Carmen', 'Queenie', 'Phoebe', 'Fiona'],
} as const;

export interface Goods {
  name: string;
  hsCode: string;
  /** Typical consignment value range in HKD. */
  min: number;
  max: number;
}

export const GOODS: readonly Goods[] = [
  { name: 'Mobile phones', hsCode: '8517.13', min: 200_000, max: 3_000_000 },
  { name: 'Integrated circuits', hsCode: '8542.31', min: 300_000, max: 5_000_000 },
  { name: 'Laptop computers', hsCode: '8471.30', min: 200_000, max: 2_000_000 },
  { name: 'LED lamps', hsCode: '8539.52', min: 20_000, max: 300_000 },
  { name: 'Cotton T-shirts', hsCode: '6109.10', min: 20_000, max: 400_000 },
  { name: 'Woven cotton fabrics', hsCode: '5208.52', min: 30_000, max: 500_000 },
  { name: 'Frozen pork', hsCode: '0203.29', min: 100_000, max: 800_000 },
  { name: 'Dried abalone', hsCode: '0307.89', min: 100_000, max: 1_500_000 },
  { name: 'Infant milk formula', hsCode: '1901.10', min: 50_000, max: 600_000 },
  { name: 'Red wine', hsCode: '2204.21', min: 50_000, max: 1_000_000 },
  { name: 'Whisky', hsCode: '2208.30', min: 50_000, max: 1_000_000 },
  { name: 'Cigarettes', hsCode: '2402.20', min: 100_000, max: 2_000_000 },
  { name: 'Wrist watches', hsCode: '9102.11', min: 100_000, max: 3_000_000 },
  { name: 'Gold jewellery', hsCode: '7113.19', min: 500_000, max: 10_000_000 },
  { name: 'Medicaments', hsCode: '3004.90', min: 100_000, max: 2_000_000 },
  { name: 'Cosmetics', hsCode: '3304.99', min: 30_000, max: 500_000 },
  { name: 'Hand tools', hsCode: '8205.59', min: 20_000, max: 300_000 },
  { name: 'Plastic resin', hsCode: '3901.10', min: 100_000, max: 1_000_000 },
  { name: 'Paper cartons', hsCode: '4819.10', min: 10_000, max: 200_000 },
  { name: 'Wooden furniture', hsCode: '9403.60', min: 30_000, max: 400_000 },
  { name: 'Toys', hsCode: '9503.00', min: 20_000, max: 500_000 },
  { name: 'Fresh vegetables', hsCode: '0709.99', min: 10_000, max: 100_000 },
  { name: 'Ceramic tiles', hsCode: '6907.21', min: 30_000, max: 300_000 },
  { name: 'Used auto parts', hsCode: '8708.99', min: 20_000, max: 400_000 },
];

export interface Industry extends Syllable {
  weight: number;
  /** Indexes into GOODS this kind of trader ships. */
  goods: readonly number[];
  /** Hauliers own fleets and carry other traders' goods. */
  haulier?: boolean;
}

const BROAD = [0, 2, 3, 4, 8, 15, 16, 17, 18, 19, 20, 22];

export const INDUSTRIES: readonly Industry[] = [
  { zh: '貿易', en: 'Trading', weight: 20, goods: [0, 3, 4, 16, 17, 18, 20, 21, 22] },
  { zh: '進出口', en: 'Import & Export', weight: 8, goods: [0, 1, 2, 4, 8, 9, 15, 20] },
  { zh: '物流', en: 'Logistics', weight: 4, goods: BROAD, haulier: true },
  { zh: '運輸', en: 'Transportation', weight: 3, goods: BROAD, haulier: true },
  { zh: '貨運', en: 'Freight', weight: 2, goods: BROAD, haulier: true },
  { zh: '電子', en: 'Electronics', weight: 7, goods: [0, 1, 2, 3] },
  { zh: '製衣', en: 'Garment', weight: 5, goods: [4, 5] },
  { zh: '紡織', en: 'Textile', weight: 3, goods: [5, 4] },
  { zh: '食品', en: 'Food', weight: 5, goods: [6, 8, 21] },
  { zh: '海產', en: 'Seafood', weight: 2, goods: [7, 6] },
  { zh: '洋酒', en: 'Wine', weight: 2, goods: [9, 10] },
  { zh: '煙草', en: 'Tobacco', weight: 0.5, goods: [11] },
  { zh: '鐘錶', en: 'Watch', weight: 2, goods: [12] },
  { zh: '珠寶', en: 'Jewellery', weight: 2, goods: [13, 12] },
  { zh: '藥業', en: 'Pharmaceutical', weight: 1.5, goods: [14, 15] },
  { zh: '化妝品', en: 'Cosmetics', weight: 1.5, goods: [15] },
  { zh: '五金', en: 'Hardware', weight: 3, goods: [16, 23, 22] },
  { zh: '塑膠', en: 'Plastic', weight: 2, goods: [17] },
  { zh: '紙品', en: 'Paper Products', weight: 1.5, goods: [18] },
  { zh: '傢俬', en: 'Furniture', weight: 2, goods: [19] },
  { zh: '玩具', en: 'Toys', weight: 2, goods: [20] },
  { zh: '企業', en: 'Enterprises', weight: 5, goods: BROAD },
  { zh: '實業', en: 'Industrial', weight: 3, goods: BROAD },
  { zh: '發展', en: 'Development', weight: 2, goods: BROAD },
  { zh: '國際', en: 'International', weight: 4, goods: BROAD },
];

export interface District {
  en: string;
  region: 'Hong Kong' | 'Kowloon' | 'N.T.';
  streets: readonly string[];
}

export const DISTRICTS: readonly District[] = [
  { en: 'Central', region: 'Hong Kong', streets: ["Queen's Road Central", 'Des Voeux Road Central', 'Connaught Road Central', 'Wyndham Street'] },
  { en: 'Sheung Wan', region: 'Hong Kong', streets: ['Wing Lok Street', 'Bonham Strand', 'Connaught Road West', 'Jervois Street'] },
  { en: 'Wan Chai', region: 'Hong Kong', streets: ['Hennessy Road', 'Lockhart Road', 'Jaffe Road', 'Gloucester Road'] },
  { en: 'Causeway Bay', region: 'Hong Kong', streets: ['Percival Street', 'Yee Wo Street', 'Leighton Road'] },
  { en: 'North Point', region: 'Hong Kong', streets: ["King's Road", 'Java Road', 'Marble Road'] },
  { en: 'Quarry Bay', region: 'Hong Kong', streets: ["King's Road", 'Hoi Wan Street'] },
  { en: 'Chai Wan', region: 'Hong Kong', streets: ['Lee Chung Street', 'Sun Yip Street', 'Wing Tai Road'] },
  { en: 'Aberdeen', region: 'Hong Kong', streets: ['Aberdeen Main Road', 'Wu Nam Street'] },
  { en: 'Wong Chuk Hang', region: 'Hong Kong', streets: ['Wong Chuk Hang Road', 'Heung Yip Road'] },
  { en: 'Tsim Sha Tsui', region: 'Kowloon', streets: ['Nathan Road', 'Canton Road', 'Granville Road'] },
  { en: 'Mong Kok', region: 'Kowloon', streets: ['Argyle Street', 'Sai Yeung Choi Street South', 'Shanghai Street'] },
  { en: 'Sham Shui Po', region: 'Kowloon', streets: ['Cheung Sha Wan Road', 'Lai Chi Kok Road', 'Fuk Wa Street'] },
  { en: 'Cheung Sha Wan', region: 'Kowloon', streets: ['Castle Peak Road', 'Tai Nan West Street', 'Cheung Yee Street'] },
  { en: 'Kwun Tong', region: 'Kowloon', streets: ['Hoi Yuen Road', 'How Ming Street', 'Hung To Road', 'Wai Yip Street'] },
  { en: 'Kowloon Bay', region: 'Kowloon', streets: ['Wang Chiu Road', 'Sheung Yuet Road', 'Lam Hing Street'] },
  { en: 'San Po Kong', region: 'Kowloon', streets: ['Tai Yau Street', 'Sze Mei Street'] },
  { en: 'Hung Hom', region: 'Kowloon', streets: ['Man Yue Street', 'Ma Tau Wai Road', 'Gillies Avenue South'] },
  { en: 'To Kwa Wan', region: 'Kowloon', streets: ['To Kwa Wan Road', 'Ma Tau Kok Road'] },
  { en: 'Kwai Chung', region: 'N.T.', streets: ['Kwai Foo Road', 'Kwai Fung Crescent', 'Tai Lin Pai Road', 'Castle Peak Road'] },
  { en: 'Tsuen Wan', region: 'N.T.', streets: ['Sha Tsui Road', 'Chai Wan Kok Street', 'Yeung Uk Road'] },
  { en: 'Tuen Mun', region: 'N.T.', streets: ['Tsun Wen Road', 'Kin Wing Street', 'Hing Kwai Street'] },
  { en: 'Yuen Long', region: 'N.T.', streets: ['Castle Peak Road', 'Kau Yuk Road', 'Wang Lok Street'] },
  { en: 'Sha Tin', region: 'N.T.', streets: ['Shan Mei Street', 'Au Pui Wan Street', 'Sha Tin Centre Street'] },
  { en: 'Tai Po', region: 'N.T.', streets: ['Dai Kwai Street', 'Kwong Fuk Road'] },
  { en: 'Fanling', region: 'N.T.', streets: ['On Lok Mun Street', 'Sha Tau Kok Road'] },
  { en: 'Sheung Shui', region: 'N.T.', streets: ['San Hong Street', 'Lung Sum Avenue'] },
  { en: 'Tseung Kwan O', region: 'N.T.', streets: ['Chun Ying Street', 'Tong Chun Street'] },
];

export const RESIDENTIAL_BUILDINGS = ['Court', 'Mansion', 'Garden', 'Building', 'Terrace', 'Villa', 'Heights'] as const;
export const COMMERCIAL_BUILDINGS = ['Industrial Building', 'Industrial Centre', 'Commercial Centre', 'Centre', 'Plaza', 'Tower', 'Factory Building', 'Commercial Building'] as const;

export const VEHICLE_MAKES = ['Hino', 'Isuzu', 'Mitsubishi Fuso', 'Volvo', 'Scania', 'Mercedes-Benz', 'MAN', 'DAF', 'Toyota', 'Nissan'] as const;

/** Letters used in ordinary registration-mark prefixes: I, O and Q are not issued. */
export const MARK_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

export interface MainlandCity {
  en: string;
  zh: string;
  /** How ROCARS writes the place as an origin/destination. */
  place: string;
}

export const MAINLAND_CITIES: readonly MainlandCity[] = [
  { en: 'Shenzhen', zh: '深圳', place: 'Shenzhen, Guangdong' },
  { en: 'Dongguan', zh: '東莞', place: 'Dongguan, Guangdong' },
  { en: 'Guangzhou', zh: '廣州', place: 'Guangzhou, Guangdong' },
  { en: 'Huizhou', zh: '惠州', place: 'Huizhou, Guangdong' },
  { en: 'Zhuhai', zh: '珠海', place: 'Zhuhai, Guangdong' },
  { en: 'Foshan', zh: '佛山', place: 'Foshan, Guangdong' },
  { en: 'Zhongshan', zh: '中山', place: 'Zhongshan, Guangdong' },
];

/** Mainland firms' distinctive names in Pinyin, as they appear on cross-boundary manifests. */
export const MAINLAND_BRANDS: readonly Syllable[] = syllables(
  '恒達:Hengda 新華:Xinhua 金龍:Jinlong 華豐:Huafeng 天宇:Tianyu 紅星:Hongxing 長盛:Changsheng 大富:Dafu ' +
    '明輝:Minghui 永利:Yongli 光華:Guanghua 興旺:Xingwang 瑞豐:Ruifeng 嘉禾:Jiahe 浩宇:Haoyu 凱旋:Kaixuan ' +
    '宏圖:Hongtu 創新:Chuangxin 盛世:Shengshi 億達:Yida',
);

export const MAINLAND_TRADES: readonly Syllable[] = syllables(
  '電子科技:Electronic_Technology 貿易:Trading 服裝:Garment 食品:Foodstuffs 物流:Logistics 實業:Industrial ' +
    '塑膠製品:Plastic_Products 五金:Hardware 供應鏈:Supply_Chain',
).map((s) => ({ zh: s.zh, en: s.en.replace('_', ' ') }));

export const CROSSINGS = ['Lok Ma Chau', 'Shenzhen Bay', 'Man Kam To', 'Heung Yuen Wai', 'the Hong Kong-Zhuhai-Macao Bridge'] as const;
