/**
 * For text pgvet did not build from parsed fields: the "ran on" labels in plans saved before pgvet built
 * labels that way, which could hold a connection string with (part of) its password. A URL loses its whole
 * user part (a half-masked `u@ss@host` cannot tell user from password) and any password parameter; a
 * keyword/value password loses its value. Labels pgvet builds now never need this. No vscode import.
 */
const URL_USERINFO = /(postgres(?:ql)?:\/\/)([^\s?]*@)/gi;
const URL_PASSWORD = /([?&]password=)[^&\s)]*/gi;
const KEYWORD_PASSWORD = /\b(password\s*=\s*)(?:'(?:[^'\\]|\\.)*'?|(?:[^\s\\]|\\.)+)/gi;

export function redactPasswords(text: string): string {
  return text.replace(URL_USERINFO, '$1').replace(URL_PASSWORD, '$1***').replace(KEYWORD_PASSWORD, '$1***');
}
