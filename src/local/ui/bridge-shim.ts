/**
 * Stands in for the bridge the Forge product injects into Custom UI iframes (invoke, getContext,
 * showFlag/closeFlag and view.createHistory). `@forge/bridge`
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

  // Flags: the product draws them in its own flag group (bottom left, over the page), not in the
  // app's frame; the frame's parent is the local host's page on the same origin. Documented
  // behaviour (@forge/bridge showFlag): id required; type picks the icon ('info' by default);
  // appearance makes the flag bold and bold flags have no dismiss button; actions are buttons
  // calling their onClick; isAutoDismiss closes the flag after 8 seconds.
  // Looked up when needed: the shim also loads where there is no document (a test's bare context).
  function flagDocument_() {
    var own = typeof document === 'undefined' ? undefined : document;
    try { return window.parent && window.parent !== window && window.parent.document ? window.parent.document : own; }
    catch (ignored) { return own; }
  }
  var flagColours = { info: '#0c66e4', success: '#1f845a', warning: '#e2b203', error: '#c9372c' };

  function flagGroup(flagDocument) {
    var group = flagDocument.getElementById('forge-flags');
    if (group) return group;
    group = flagDocument.createElement('div');
    group.id = 'forge-flags';
    group.setAttribute('aria-label', 'Notifications');
    group.setAttribute('role', 'region');
    group.style.cssText = 'position:fixed;left:24px;bottom:24px;z-index:1000;display:flex;flex-direction:column-reverse;gap:8px;width:400px;max-width:calc(100vw - 48px)';
    flagDocument.body.appendChild(group);
    return group;
  }

  function closeFlag(id) {
    var flagDocument = flagDocument_();
    if (!flagDocument) return false;
    var group = flagDocument.getElementById('forge-flags');
    if (!group) return false;
    var children = group.children;
    for (var i = 0; i < children.length; i += 1) {
      if (children[i].getAttribute('data-flag-id') === String(id)) {
        group.removeChild(children[i]);
        return true;
      }
    }
    return false;
  }

  function showFlag(options) {
    var flagDocument = flagDocument_();
    if (!flagDocument) return false;
    closeFlag(options.id);
    var type = options.appearance || options.type || 'info';
    var bold = Boolean(options.appearance);
    var colour = flagColours[type] || flagColours.info;
    var flag = flagDocument.createElement('div');
    flag.setAttribute('data-flag-id', String(options.id));
    flag.setAttribute('data-flag-type', type);
    flag.setAttribute('role', type === 'error' || type === 'warning' ? 'alert' : 'status');
    flag.style.cssText = 'font:14px/20px -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;border-radius:4px;padding:16px;box-shadow:0 8px 12px rgba(9,30,66,.15),0 0 1px rgba(9,30,66,.31);'
      + (bold ? 'background:' + colour + ';color:' + (type === 'warning' ? '#172b4d' : '#fff') : 'background:#fff;color:#172b4d;border-left:4px solid ' + colour);
    var title = flagDocument.createElement('div');
    title.className = 'flag-title';
    title.style.cssText = 'font-weight:600;margin-right:24px';
    title.textContent = options.title || '';
    flag.appendChild(title);
    if (options.description) {
      var body = flagDocument.createElement('div');
      body.className = 'flag-description';
      body.style.cssText = 'margin-top:4px;white-space:pre-line;overflow-wrap:anywhere';
      body.textContent = options.description;
      flag.appendChild(body);
    }
    var actions = options.actions || [];
    if (actions.length > 0) {
      var row = flagDocument.createElement('div');
      row.style.cssText = 'margin-top:8px;display:flex;gap:16px';
      actions.forEach(function (action) {
        var button = flagDocument.createElement('button');
        button.type = 'button';
        button.textContent = action.text;
        button.style.cssText = 'background:none;border:0;padding:0;font:inherit;font-weight:500;cursor:pointer;color:' + (bold ? 'inherit;text-decoration:underline' : '#0c66e4');
        button.addEventListener('click', function () { if (typeof action.onClick === 'function') action.onClick(); });
        row.appendChild(button);
      });
      flag.appendChild(row);
    }
    if (!bold) {
      var dismiss = flagDocument.createElement('button');
      dismiss.type = 'button';
      dismiss.setAttribute('aria-label', 'Dismiss');
      dismiss.textContent = '\u00d7';
      dismiss.style.cssText = 'position:absolute;top:8px;right:8px;background:none;border:0;font-size:20px;cursor:pointer;color:#44546f';
      dismiss.addEventListener('click', function () { closeFlag(options.id); });
      flag.style.position = 'relative';
      flag.appendChild(dismiss);
    }
    flagGroup(flagDocument).appendChild(flag);
    if (options.isAutoDismiss) setTimeout(function () { closeFlag(options.id); }, 8000);
    return true;
  }

  // view.createHistory: a 'history'-package History whose location is the app's own route. Jira's
  // full-page modules append it to the page URL; Bitbucket Cloud does not offer it yet
  // (BCLOUD-23012), so the pages fall back to memory when it rejects. Here the route lives in the
  // host page's fragment ('#/path?query'), which keeps the host's own query ('accountId') apart
  // and survives a reload of the framed page.
  function routeWindowOf() {
    try { return window.parent && window.parent !== window && window.parent.location.href ? window.parent : window; }
    catch (ignored) { return window; }
  }

  function parsePath(path) {
    var text = typeof path === 'string' ? path : (path.pathname || '/') + (path.search || '') + (path.hash || '');
    var hashAt = text.indexOf('#');
    var hash = hashAt >= 0 ? text.slice(hashAt) : '';
    if (hashAt >= 0) text = text.slice(0, hashAt);
    var queryAt = text.indexOf('?');
    var search = queryAt >= 0 ? text.slice(queryAt) : '';
    var pathname = queryAt >= 0 ? text.slice(0, queryAt) : text;
    return { pathname: pathname || '/', search: search === '?' ? '' : search, hash: hash };
  }

  function currentLocation(routeWindow, state, key) {
    var route = routeWindow.location.hash.replace(/^#/, '');
    var parsed = parsePath(route.charAt(0) === '/' ? route : '/');
    return { pathname: parsed.pathname, search: parsed.search, hash: '', state: state === undefined ? null : state, key: key || 'default' };
  }

  function createHistory() {
    var routeWindow = routeWindowOf();
    var listeners = [];
    var keySeq = 0;
    var history = {
      action: 'POP',
      location: currentLocation(routeWindow),
      get length() { return routeWindow.history.length; },
      createHref: function (to) { var p = parsePath(to); return '#' + p.pathname + p.search; },
      listen: function (listener) {
        listeners.push(listener);
        return function () { listeners = listeners.filter(function (l) { return l !== listener; }); };
      },
      go: function (delta) { routeWindow.history.go(delta); },
      back: function () { routeWindow.history.back(); },
      forward: function () { routeWindow.history.forward(); },
      goBack: function () { routeWindow.history.back(); },
      goForward: function () { routeWindow.history.forward(); },
      block: function () { return function () {}; }
    };
    function change(action, to, state) {
      var p = parsePath(to);
      var url = routeWindow.location.pathname + routeWindow.location.search + '#' + p.pathname + p.search;
      keySeq += 1;
      var key = 'k' + keySeq;
      var entry = { forgeRoute: true, state: state === undefined ? null : state, key: key };
      if (action === 'PUSH') routeWindow.history.pushState(entry, '', url);
      else routeWindow.history.replaceState(entry, '', url);
      notify(action, currentLocation(routeWindow, state, key));
    }
    function notify(action, location) {
      history.action = action;
      history.location = location;
      listeners.slice().forEach(function (listener) { listener(location, action); });
    }
    history.push = function (to, state) { change('PUSH', to, state); };
    history.replace = function (to, state) { change('REPLACE', to, state); };
    routeWindow.addEventListener('popstate', function (event) {
      var entry = event.state || {};
      notify('POP', currentLocation(routeWindow, entry.state, entry.key));
    });
    return history;
  }

  window.__bridge = {
    callBridge: function (command, data) {
      switch (command) {
        case 'getContext':
          return Promise.resolve(copy(context));
        case 'invoke':
          return invoke(data);
        case 'showFlag':
          return Promise.resolve(showFlag(data || {}));
        case 'closeFlag':
          return Promise.resolve(closeFlag(data && data.id));
        case 'createHistory':
          return Promise.resolve(createHistory());
        default:
          // Navigation, theming…: nothing to do outside the product.
          return Promise.resolve(undefined);
      }
    }
  };
})();
`;
