/** The two languages of every screen, message and printout. */
export type Lang = 'zh-CN' | 'en';

/** Picks our language from an Accept-Language header; Chinese first since the stores are in China. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'zh-CN';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

/** A text in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

export function pick(text: Bilingual, lang: Lang): string {
  return lang === 'zh-CN' ? text.zh : text.en;
}
