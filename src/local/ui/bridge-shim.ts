/**
 * Stands in for the bridge the Forge product injects into Custom UI iframes. `@forge/bridge`
 * reads `globalThis.__bridge.callBridge` when it loads, so this must run before the page bundle.
 * It reads the context the local host put in `window.__REMEDIATE_CONTEXT__` and sends `invoke`
 * calls to `POST /forge/invoke`, which answers with the resolver's `{ok, data}` envelope.
 * Plain ES2017 so it runs as-is in any browser.
 */
export const bridgeShimSource = `(function () {
  'use strict';
  var context = window.__REMEDIATE_CONTEXT__ || null;

  function copy(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function failure(response) {
    return response.text().then(function (text) {
      var detail = text;
      try {
        var body = JSON.parse(text);
        if (body && body.error && body.error.message) detail = body.error.message;
      } catch (ignored) { /* not JSON: keep the text */ }
      throw new Error('the local host answered ' + response.status + (detail ? ': ' + String(detail).slice(0, 300) : ''));
    });
  }

  function invoke(data) {
    var request = {
      functionKey: data && data.functionKey,
      payload: data && data.payload !== undefined ? data.payload : {},
      context: context
    };
    return fetch('/forge/invoke', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request),
      credentials: 'same-origin'
    }).then(function (response) {
      if (response.status >= 500) return failure(response);
      return response.json();
    });
  }

  window.__bridge = {
    callBridge: function (command, data) {
      switch (command) {
        case 'getContext':
          return Promise.resolve(copy(context));
        case 'invoke':
          return invoke(data);
        default:
          // Navigation, flags, theming…: nothing to do outside the product.
          return Promise.resolve(undefined);
      }
    }
  };
})();
`;
