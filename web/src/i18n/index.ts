/**
 * Every word on screen, in both languages, one file per screen. A missing translation is a type
 * error; a key two screens both declare fails the i18n unit test.
 */
import { createContext, useContext } from 'react';
import { commonEn, commonZh } from './common';
import { dayCloseEn, dayCloseZh } from './day-close';
import { feedbackEn, feedbackZh } from './feedback';
import { followUpsEn, followUpsZh } from './follow-ups';
import { journalEn, journalZh } from './journal';
import { officeEn, officeZh } from './office';
import { reconEn, reconZh } from './recon';
import { reviewsEn, reviewsZh } from './reviews';
import { signInEn, signInZh } from './sign-in';
import { stockEn, stockZh } from './stock';
import { tillEn, tillZh } from './till';

/** The screens' dictionaries, in the order they are merged. */
export const SECTIONS = {
  common: { en: commonEn, zh: commonZh },
  till: { en: tillEn, zh: tillZh },
  'sign-in': { en: signInEn, zh: signInZh },
  stock: { en: stockEn, zh: stockZh },
  journal: { en: journalEn, zh: journalZh },
  office: { en: officeEn, zh: officeZh },
  recon: { en: reconEn, zh: reconZh },
  'day-close': { en: dayCloseEn, zh: dayCloseZh },
  'follow-ups': { en: followUpsEn, zh: followUpsZh },
  feedback: { en: feedbackEn, zh: feedbackZh },
  reviews: { en: reviewsEn, zh: reviewsZh },
} as const;

const en = {
  ...commonEn,
  ...tillEn,
  ...signInEn,
  ...stockEn,
  ...journalEn,
  ...officeEn,
  ...reconEn,
  ...dayCloseEn,
  ...followUpsEn,
  ...feedbackEn,
  ...reviewsEn,
};
export type MessageKey = keyof typeof en;
const zh: Record<MessageKey, string> = {
  ...commonZh,
  ...tillZh,
  ...signInZh,
  ...stockZh,
  ...journalZh,
  ...officeZh,
  ...reconZh,
  ...dayCloseZh,
  ...followUpsZh,
  ...feedbackZh,
  ...reviewsZh,
};

export type Lang = 'zh-CN' | 'en';
export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zh };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, vars = {}) =>
    MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export const I18nContext = createContext<{ lang: Lang; t: Translate }>({
  lang: 'zh-CN',
  t: translator('zh-CN'),
});
export const useI18n = () => useContext(I18nContext);
