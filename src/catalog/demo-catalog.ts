/**
 * The demo clothing catalog: 28 styles in sizes and colours, 200+ SKUs with Chinese and English
 * names and valid EAN-13 barcodes. Generated as a CSV so demo seeding goes through the real importer.
 */
import { formatYuan } from '../kernel';
import { CATALOG_COLUMNS, gs1CheckDigit } from './model';

interface DemoStyle {
  code: string;
  zh: string;
  en: string;
  brand: string;
  category: string;
  season: string;
  priceYuan: number;
  sizes: readonly string[];
  colours: readonly (readonly [string, string])[];
}

const TOPS = ['S', 'M', 'L', 'XL'] as const;
const WAIST = ['28', '30', '32', '34'] as const;
const SHOES = ['36', '38', '40', '42'] as const;
const ONE = ['F'] as const;

const BLACK = ['黑色', 'Black'] as const;
const WHITE = ['白色', 'White'] as const;
const NAVY = ['藏青', 'Navy'] as const;
const GREY = ['灰色', 'Grey'] as const;
const BEIGE = ['米色', 'Beige'] as const;
const RED = ['红色', 'Red'] as const;
const BLUE = ['浅蓝', 'Light blue'] as const;
const KHAKI = ['卡其', 'Khaki'] as const;

const STYLES: readonly DemoStyle[] = [
  {
    code: 'TS-101',
    zh: '纯棉圆领T恤',
    en: 'Cotton crew-neck T-shirt',
    brand: '禾木 Hemu',
    category: 'T恤 T-shirts',
    season: 'SS26',
    priceYuan: 79,
    sizes: TOPS,
    colours: [WHITE, BLACK],
  },
  {
    code: 'TS-102',
    zh: '条纹长袖T恤',
    en: 'Striped long-sleeve tee',
    brand: '禾木 Hemu',
    category: 'T恤 T-shirts',
    season: 'AW26',
    priceYuan: 129,
    sizes: TOPS,
    colours: [NAVY, RED],
  },
  {
    code: 'TS-103',
    zh: '印花短袖T恤',
    en: 'Printed short-sleeve tee',
    brand: '青山 Qingshan',
    category: 'T恤 T-shirts',
    season: 'SS26',
    priceYuan: 99,
    sizes: TOPS,
    colours: [WHITE, GREY],
  },
  {
    code: 'SH-201',
    zh: '牛津纺衬衫',
    en: 'Oxford shirt',
    brand: '禾木 Hemu',
    category: '衬衫 Shirts',
    season: 'AW26',
    priceYuan: 239,
    sizes: TOPS,
    colours: [WHITE, BLUE],
  },
  {
    code: 'SH-202',
    zh: '亚麻休闲衬衫',
    en: 'Linen casual shirt',
    brand: '青山 Qingshan',
    category: '衬衫 Shirts',
    season: 'SS26',
    priceYuan: 299,
    sizes: TOPS,
    colours: [BEIGE, WHITE],
  },
  {
    code: 'SH-203',
    zh: '法兰绒格子衬衫',
    en: 'Flannel check shirt',
    brand: '北岸 Beian',
    category: '衬衫 Shirts',
    season: 'AW26',
    priceYuan: 259,
    sizes: TOPS,
    colours: [RED, NAVY],
  },
  {
    code: 'KN-301',
    zh: '羊毛圆领毛衣',
    en: 'Wool crew-neck sweater',
    brand: '北岸 Beian',
    category: '针织 Knitwear',
    season: 'AW26',
    priceYuan: 459,
    sizes: TOPS,
    colours: [GREY, NAVY],
  },
  {
    code: 'KN-302',
    zh: '羊绒开衫',
    en: 'Cashmere cardigan',
    brand: '北岸 Beian',
    category: '针织 Knitwear',
    season: 'AW26',
    priceYuan: 899,
    sizes: TOPS,
    colours: [BEIGE, BLACK],
  },
  {
    code: 'KN-303',
    zh: '高领针织衫',
    en: 'Roll-neck knit',
    brand: '禾木 Hemu',
    category: '针织 Knitwear',
    season: 'AW26',
    priceYuan: 329,
    sizes: TOPS,
    colours: [BLACK, WHITE],
  },
  {
    code: 'HD-401',
    zh: '连帽卫衣',
    en: 'Hooded sweatshirt',
    brand: '青山 Qingshan',
    category: '卫衣 Sweatshirts',
    season: 'AW26',
    priceYuan: 269,
    sizes: TOPS,
    colours: [GREY, BLACK],
  },
  {
    code: 'HD-402',
    zh: '拉链卫衣外套',
    en: 'Zip-up hoodie',
    brand: '青山 Qingshan',
    category: '卫衣 Sweatshirts',
    season: 'AW26',
    priceYuan: 299,
    sizes: TOPS,
    colours: [NAVY, GREY],
  },
  {
    code: 'JK-501',
    zh: '轻薄羽绒服',
    en: 'Light down jacket',
    brand: '北岸 Beian',
    category: '外套 Outerwear',
    season: 'AW26',
    priceYuan: 699,
    sizes: TOPS,
    colours: [BLACK, NAVY],
  },
  {
    code: 'JK-502',
    zh: '双排扣风衣',
    en: 'Double-breasted trench coat',
    brand: '禾木 Hemu',
    category: '外套 Outerwear',
    season: 'AW26',
    priceYuan: 1299,
    sizes: TOPS,
    colours: [KHAKI, BLACK],
  },
  {
    code: 'JK-503',
    zh: '牛仔夹克',
    en: 'Denim jacket',
    brand: '青山 Qingshan',
    category: '外套 Outerwear',
    season: 'SS26',
    priceYuan: 399,
    sizes: TOPS,
    colours: [BLUE, BLACK],
  },
  {
    code: 'JK-504',
    zh: '羊毛大衣',
    en: 'Wool overcoat',
    brand: '北岸 Beian',
    category: '外套 Outerwear',
    season: 'AW26',
    priceYuan: 1599,
    sizes: TOPS,
    colours: [GREY, BEIGE],
  },
  {
    code: 'JN-601',
    zh: '修身牛仔裤',
    en: 'Slim-fit jeans',
    brand: '青山 Qingshan',
    category: '裤装 Trousers',
    season: 'AW26',
    priceYuan: 349,
    sizes: WAIST,
    colours: [BLUE, BLACK],
  },
  {
    code: 'JN-602',
    zh: '直筒牛仔裤',
    en: 'Straight-leg jeans',
    brand: '青山 Qingshan',
    category: '裤装 Trousers',
    season: 'SS26',
    priceYuan: 329,
    sizes: WAIST,
    colours: [BLUE, GREY],
  },
  {
    code: 'PT-603',
    zh: '休闲卡其裤',
    en: 'Chino trousers',
    brand: '禾木 Hemu',
    category: '裤装 Trousers',
    season: 'SS26',
    priceYuan: 279,
    sizes: WAIST,
    colours: [KHAKI, NAVY],
  },
  {
    code: 'PT-604',
    zh: '羊毛西裤',
    en: 'Wool suit trousers',
    brand: '北岸 Beian',
    category: '裤装 Trousers',
    season: 'AW26',
    priceYuan: 499,
    sizes: WAIST,
    colours: [GREY, BLACK],
  },
  {
    code: 'PT-605',
    zh: '束脚运动裤',
    en: 'Jogger pants',
    brand: '青山 Qingshan',
    category: '裤装 Trousers',
    season: 'AW26',
    priceYuan: 199,
    sizes: TOPS,
    colours: [BLACK, GREY],
  },
  {
    code: 'DR-701',
    zh: '碎花连衣裙',
    en: 'Floral midi dress',
    brand: '禾木 Hemu',
    category: '裙装 Dresses',
    season: 'SS26',
    priceYuan: 459,
    sizes: TOPS,
    colours: [BLUE, RED],
  },
  {
    code: 'DR-702',
    zh: '针织连衣裙',
    en: 'Knitted dress',
    brand: '北岸 Beian',
    category: '裙装 Dresses',
    season: 'AW26',
    priceYuan: 529,
    sizes: TOPS,
    colours: [BLACK, BEIGE],
  },
  {
    code: 'SK-703',
    zh: '百褶半身裙',
    en: 'Pleated skirt',
    brand: '禾木 Hemu',
    category: '裙装 Dresses',
    season: 'AW26',
    priceYuan: 299,
    sizes: TOPS,
    colours: [NAVY, BLACK],
  },
  {
    code: 'SN-801',
    zh: '帆布运动鞋',
    en: 'Canvas sneakers',
    brand: '青山 Qingshan',
    category: '鞋履 Shoes',
    season: 'SS26',
    priceYuan: 259,
    sizes: SHOES,
    colours: [WHITE, BLACK],
  },
  {
    code: 'SN-802',
    zh: '真皮切尔西靴',
    en: 'Leather Chelsea boots',
    brand: '北岸 Beian',
    category: '鞋履 Shoes',
    season: 'AW26',
    priceYuan: 899,
    sizes: SHOES,
    colours: [BLACK, KHAKI],
  },
  {
    code: 'AC-901',
    zh: '羊毛围巾',
    en: 'Wool scarf',
    brand: '北岸 Beian',
    category: '配饰 Accessories',
    season: 'AW26',
    priceYuan: 199,
    sizes: ONE,
    colours: [GREY, RED, NAVY, BEIGE],
  },
  {
    code: 'AC-902',
    zh: '棒球帽',
    en: 'Baseball cap',
    brand: '青山 Qingshan',
    category: '配饰 Accessories',
    season: 'SS26',
    priceYuan: 89,
    sizes: ONE,
    colours: [BLACK, WHITE, NAVY, KHAKI],
  },
  {
    code: 'AC-903',
    zh: '真皮腰带',
    en: 'Leather belt',
    brand: '禾木 Hemu',
    category: '配饰 Accessories',
    season: 'AW26',
    priceYuan: 259,
    sizes: ['95', '105', '115'],
    colours: [BLACK, KHAKI],
  },
];

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The demo catalog as a UTF-8 CSV in the import layout, with an opening stock per SKU. */
export function demoCatalogCsv(): string {
  const lines = [[...CATALOG_COLUMNS, 'stock'].join(',')];
  let serial = 0;
  for (const style of STYLES) {
    style.colours.forEach(([colourZh, colourEn], colourIndex) => {
      for (const size of style.sizes) {
        serial++;
        const body = `690123${String(serial).padStart(6, '0')}`;
        const barcode = `${body}${gs1CheckDigit(body)}`;
        const sku = `${style.code}-${colourEn.replace(/\s+/g, '').slice(0, 3).toUpperCase()}${colourIndex}-${size}`;
        const stock = 4 + ((serial * 7) % 17);
        const cells = [
          style.code,
          style.zh,
          style.en,
          style.brand,
          style.category,
          style.season,
          sku,
          barcode,
          size,
          colourZh,
          colourEn,
          formatYuan(style.priceYuan * 100),
          String(stock),
        ];
        lines.push(cells.map(csvCell).join(','));
      }
    });
  }
  return `${lines.join('\n')}\n`;
}
