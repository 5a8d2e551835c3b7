// matrix-js-sdk against the real binary: log in as the owner, start the client, see a room with
// a puppet's message, receive a new message live, paginate back.
//
//   RAVENOUS_BINARY=/path/to/ravenous node --test --test-force-exit tests/js/sdk-smoke.test.mjs
// (--test-force-exit: the SDK leaves timers behind after stopClient()).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from 'matrix-js-sdk';
import { call as serverCall, owner, password, startRavenous } from './ravenous-server.mjs';

const asToken = 'smoke-as-token';

// matrix-js-sdk logs every request at debug level; keep the test output readable.
const quiet = {
    trace() {}, debug() {}, info() {}, log() {}, warn() {}, error() {},
    getChild() { return quiet; },
};

let server;
let baseUrl;

const call = (...args) => serverCall(baseUrl, ...args);

// A puppet's request through the appservice.
const as = (target, user) =>
    target + (target.includes('?') ? '&' : '?') + 'user_id=' + encodeURIComponent(user);

function waitFor(predicate, what, ms = 10000) {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
            const value = predicate();
            if (value) return resolve(value);
            if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
            setTimeout(tick, 50);
        };
        tick();
    });
}

before(async () => {
    server = await startRavenous({
        prefix: 'ravenous-sdk-',
        appservices: {
            smoke: `id: smoke
url: null
as_token: ${asToken}
hs_token: smoke-hs-token
sender_localpart: smokebot
rate_limited: false
namespaces:
  users:
    - exclusive: true
      regex: '@smoke_.+:test\\.local'
`,
        },
    });
    baseUrl = server.baseUrl;
});

after(async () => {
    if (server) await server.stop();
});

test('matrix-js-sdk syncs, receives live messages and paginates', async () => {
    const login = await call('POST', '/_matrix/client/v3/login', {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: owner },
        password,
    });
    const puppet = '@smoke_alice:test.local';
    await call('POST', '/_matrix/client/v3/register',
        { type: 'm.login.application_service', username: 'smoke_alice' }, asToken);
    const { room_id: roomId } = await call('POST', as('/_matrix/client/v3/createRoom', puppet),
        { name: 'Smoke', invite: [owner] }, asToken);
    await call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/join`, {},
        login.access_token);
    for (let i = 0; i < 25; ++i)
        await call('PUT', as(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${i}`, puppet),
            { msgtype: 'm.text', body: `old ${i}` }, asToken);

    const client = sdk.createClient({
        baseUrl,
        accessToken: login.access_token,
        userId: owner,
        deviceId: login.device_id,
        logger: quiet,
    });
    try {
        const prepared = new Promise((resolve) =>
            client.on(sdk.ClientEvent.Sync, (state) => {
                if (state === 'PREPARED') resolve();
            }));
        await client.startClient({ initialSyncLimit: 5 });
        await prepared;

        const room = await waitFor(() => client.getRoom(roomId), 'the room');
        assert.equal(room.name, 'Smoke');
        const bodies = () => room.getLiveTimeline().getEvents()
            .filter((e) => e.getType() === 'm.room.message')
            .map((e) => e.getContent().body);
        assert.ok(bodies().includes('old 24'), bodies().join(','));

        // Live.
        await call('PUT', as(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/live`, puppet),
            { msgtype: 'm.text', body: 'live one' }, asToken);
        await waitFor(() => bodies().includes('live one'), 'the live message');

        // Back to the start of the room.
        const timeline = room.getLiveTimeline();
        while (await client.paginateEventTimeline(timeline, { backwards: true, limit: 10 })) {
            // more
        }
        const all = bodies();
        for (let i = 0; i < 25; ++i)
            assert.ok(all.includes(`old ${i}`), `old ${i} missing from ${all.join(',')}`);
        assert.deepEqual(all.slice(0, 25), Array.from({ length: 25 }, (_, i) => `old ${i}`));
    } finally {
        client.stopClient();
    }
});
