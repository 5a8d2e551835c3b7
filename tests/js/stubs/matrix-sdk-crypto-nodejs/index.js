// A stand-in for @matrix-org/matrix-sdk-crypto-nodejs in Ravenous's JavaScript tests. The real
// package downloads a native library when it is installed, which cannot happen on our machines;
// matrix-bot-sdk and matrix-appservice-bridge load it only to offer end-to-end encryption, which
// these tests leave off. Loading this module succeeds; using anything from it throws, so a test
// that reached for encryption by mistake fails loudly instead of silently skipping it.

'use strict';

module.exports = new Proxy({}, {
    get(_target, key) {
        // What module loaders and promise checks look at without meaning to use the library.
        if (typeof key === 'symbol' || key === '__esModule' || key === 'then' || key === 'default')
            return undefined;
        throw new Error(`@matrix-org/matrix-sdk-crypto-nodejs is a stub in Ravenous's tests ` +
            `(no end-to-end encryption): '${String(key)}' is not available`);
    },
});
