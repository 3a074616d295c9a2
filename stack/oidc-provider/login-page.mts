/** The local provider's login page: one accessible form, no script, no remote resource. */

export interface LoginPageText {
  title: string;
  email: string;
  password: string;
  submit: string;
  failed: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function loginPage(text: LoginPageText, opts: { action: string; email?: string; failed?: boolean }): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(text.title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f6f8; color: #1b1f24; margin: 0; }
  main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem; border-radius: 6px; border: 1px solid #c9d1d9; }
  label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: 0.6rem; font-size: 1rem; border: 1px solid #57606a; border-radius: 4px; }
  button { margin-top: 1.25rem; width: 100%; padding: 0.7rem; font-size: 1rem; background: #0b5394; color: #fff; border: 0; border-radius: 4px; }
  p[role=alert] { color: #a40e26; }
</style>
</head>
<body>
<main>
<h1>${escape(text.title)}</h1>
${opts.failed ? `<p role="alert">${escape(text.failed)}</p>` : ''}
<form method="post" action="${escape(opts.action)}">
  <label for="email">${escape(text.email)}</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escape(opts.email ?? '')}">
  <label for="password">${escape(text.password)}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${escape(text.submit)}</button>
</form>
</main>
</body>
</html>`;
}
