/** Signing in at the till (PIN) and in the back office (password). */

export const signInEn = {
  signInTitle: 'Who is at the till? Tap your name, then type your PIN.',
  switchCashierTitle: 'Switch cashier: tap your name, then type your PIN.',
  signedInAs: 'Signed in now: {name}',
  lost_unauthenticated: 'Please sign in.',
  lost_session_invalid: 'This sign-in is not recognised. Please sign in again.',
  lost_session_expired: 'Your session expired. Please sign in again.',
  lost_session_ended: 'Another cashier took over this till, or you signed out.',
  lost_session_revoked: 'This account was removed or disabled. Ask a manager.',
  clear: 'Clear',
  signIn: 'Sign in',
  officeSignInTitle: 'Back office sign-in',
};

export const signInZh: Record<keyof typeof signInEn, string> = {
  signInTitle: '谁在收银？请点选姓名，然后输入 PIN。',
  switchCashierTitle: '换班：请点选姓名，然后输入 PIN。',
  signedInAs: '当前收银员：{name}',
  lost_unauthenticated: '请登录。',
  lost_session_invalid: '无法识别当前登录，请重新登录。',
  lost_session_expired: '登录已过期，请重新登录。',
  lost_session_ended: '其他收银员已接班，或您已退出。',
  lost_session_revoked: '该账号已被删除或停用，请联系店长。',
  clear: '清除',
  signIn: '登录',
  officeSignInTitle: '后台登录',
};
