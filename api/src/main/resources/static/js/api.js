// The one way the dashboard talks to the server: same-origin fetch with the session cookie, the CSRF header
// from the XSRF-TOKEN cookie on every request, JSON both ways, and the API's error shape as an exception.

export class ApiError extends Error {
  constructor(status, body, headers) {
    const error = body && body.error ? body.error : {};
    super(error.message || `The server answered ${status}.`);
    this.status = status;
    this.type = error.type || null;
    this.code = error.code || null;
    this.param = error.param || null;
    this.retryAfter = headers ? headers.get('Retry-After') : null;
  }
}

function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : null;
}

let onUnauthorized = () => {};
/** What to do when a request answers 401 (the session ended): the app sends the person to sign in. */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * @param {string} method GET, POST, PUT, DELETE
 * @param {string} path   a path on this server, e.g. /api/me
 * @param {object} [body] sent as JSON
 * @param {object} [options] {headers, quiet401: true to not redirect on 401}
 * @returns the parsed JSON answer, or null for an empty one
 */
export async function api(method, path, body, options = {}) {
  const headers = {Accept: 'application/json', ...(options.headers || {})};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = xsrfToken();
  if (token) headers['X-XSRF-TOKEN'] = token;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    const error = new ApiError(0, {error: {message: 'The server cannot be reached. Check your connection and retry.'}});
    error.network = true;
    throw error;
  }
  const text = await response.text();
  let json = null;
  if (text && (response.headers.get('Content-Type') || '').includes('json')) {
    try { json = JSON.parse(text); } catch (e) { json = null; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json, response.headers);
    if (response.status === 401 && !options.quiet401) onUnauthorized(error);
    throw error;
  }
  return json;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body === undefined ? {} : body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/** A query string from the defined values of an object: qs({a: 1, b: null}) -> "?a=1". */
export function qs(params) {
  const parts = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? '?' + parts.join('&') : '';
}
