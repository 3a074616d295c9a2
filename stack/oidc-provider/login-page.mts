/** The local provider's pages (login, sign-out): accessible forms, no script, no remote resource. */

export interface LoginPageText {
  title: string;
  email: string;
  password: string;
  submit: string;
  failed: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
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
<h1>${escape(title)}</h1>
${main}
</main>
</body>
</html>`;
}

export function loginPage(text: LoginPageText, opts: { action: string; email?: string; failed?: boolean }): string {
  return page(
    text.title,
    `${opts.failed ? `<p role="alert">${escape(text.failed)}</p>` : ''}
<form method="post" action="${escape(opts.action)}">
  <label for="email">${escape(text.email)}</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escape(opts.email ?? '')}">
  <label for="password">${escape(text.password)}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${escape(text.submit)}</button>
</form>`,
  );
}

/**
 * The provider's sign-out confirmation around its own form (`form`: the hidden xsrf field),
 * which the button submits: RP-initiated logout asks the person before ending the session.
 */
export function logoutPage(form: string): string {
  return page(
    'Đăng xuất',
    `<p>Đăng xuất khỏi hệ thống đăng nhập trên máy này?</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Đăng xuất</button>`,
  );
}

/** After sign-out without a way back to the dashboard. */
export function signedOutPage(): string {
  return page('Đã đăng xuất', '<p>Bạn đã đăng xuất. Có thể đóng cửa sổ này.</p>');
}
