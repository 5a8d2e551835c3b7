// matrix-bot-sdk's Appservice against the real binary, the way a bridge built on it starts: the
// registration file names the Appservice's own listener as its url; begin() registers the bot;
// a puppet registers, creates a room and invites the owner; the owner (plain HTTP, password
// login) joins and replies, and both arrive at the Appservice as pushed transactions.
//
//   RAVENOUS_BINARY=/path/to/ravenous node --test --test-force-exit tests/js/appservice-botsdk.test.mjs
// (--test-force-exit: bot-sdk's express listener keeps the server's keep-alive connection open).
// @matrix-org/matrix-sdk-crypto-nodejs is a local stub (stubs/): no end-to-end encryption.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
    Appservice, LogLevel, LogService, MemoryStorageProvider, SimpleFsStorageProvider,
} from 'matrix-bot-sdk';
import {
    call as serverCall, freePort, owner, password, request as serverRequest, serverName,
    startRavenous,
} from './ravenous-server.mjs';

// A pushed transaction should follow its event's commit by milliseconds; this only bounds a
// test that would otherwise hang.
const deliveryMs = 5000;

// bot-sdk logs every refused request, M_USER_IN_USE included (which it then takes as success).
LogService.setLevel(LogLevel.ERROR);
LogService.muteModule('Appservice');
LogService.muteModule('MatrixHttpClient');

let server;
let appservice;
let baseUrl;
let registration;

const request = (...args) => serverRequest(baseUrl, ...args);
const call = (...args) => serverCall(baseUrl, ...args);

// Resolves with the first `name` event of the Appservice for which `match(roomId, event)` holds.
function nextEvent(name, match, what) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            appservice.off(name, listener);
            reject(new Error(`no '${name}' for ${what} within ${deliveryMs} ms`));
        }, deliveryMs);
        function listener(roomId, event) {
            if (!match(roomId, event)) return;
            clearTimeout(timer);
            appservice.off(name, listener);
            resolve(event);
        }
        appservice.on(name, listener);
    });
}

before(async () => {
    const appservicePort = await freePort();
    registration = {
        id: 'botsdk',
        url: `http://127.0.0.1:${appservicePort}`,
        as_token: 'botsdk-as-token',
        hs_token: 'botsdk-hs-token',
        sender_localpart: 'botsdk_bot',
        rate_limited: false,
        // bot-sdk takes the puppets' prefix from the one users namespace it accepts.
        namespaces: {
            users: [{ exclusive: true, regex: `@botsdk_.+:${serverName.replace('.', '\\.')}` }],
            rooms: [],
            aliases: [],
        },
    };
    server = await startRavenous({
        prefix: 'ravenous-botsdk-',
        appservices: {
            botsdk: `id: ${registration.id}
url: "${registration.url}"
as_token: ${registration.as_token}
hs_token: ${registration.hs_token}
sender_localpart: ${registration.sender_localpart}
rate_limited: false
namespaces:
  users:
    - exclusive: true
      regex: '${registration.namespaces.users[0].regex}'
`,
        },
    });
    baseUrl = server.baseUrl;
    appservice = new Appservice({
        homeserverName: serverName,
        homeserverUrl: baseUrl,
        bindAddress: '127.0.0.1',
        port: appservicePort,
        registration,
        storage: new SimpleFsStorageProvider(path.join(server.dir, 'botsdk-storage.json')),
    });
    // Registers the bot (@botsdk_bot) with POST /register once its listener is up.
    await appservice.begin();
});

after(async () => {
    if (appservice) {
        appservice.stop();
        appservice.appServer?.closeAllConnections?.();
    }
    if (server) await server.stop();
});

test('begin() leaves the bot user registered', async () => {
    const bot = `@${registration.sender_localpart}:${serverName}`;
    assert.equal(appservice.botUserId, bot);
    assert.ok(await appservice.storage.isUserRegistered(bot));
    // Registered for real: the server knows the user now (its profile answers, and a second
    // registration is refused as taken).
    const again = await request('POST', '/_matrix/client/v3/register',
        { type: 'm.login.application_service', username: registration.sender_localpart },
        registration.as_token);
    assert.equal(again.status, 400, JSON.stringify(again.body));
    assert.equal(again.body.errcode, 'M_USER_IN_USE');
});

test('a puppet registers twice: M_USER_IN_USE is success for bot-sdk', async () => {
    const puppet = `@botsdk_twice:${serverName}`;
    await appservice.getIntentForUserId(puppet).ensureRegistered();
    assert.ok(await appservice.storage.isUserRegistered(puppet));

    // A second bridge process with empty storage does not know the puppet exists: its
    // ensureRegistered() POSTs /register again, gets M_USER_IN_USE, and carries on.
    const restarted = new Appservice({
        homeserverName: serverName,
        homeserverUrl: baseUrl,
        bindAddress: '127.0.0.1',
        port: 0, // never begun: only its intents are used
        registration,
        storage: new MemoryStorageProvider(),
    });
    assert.ok(!(await restarted.storage.isUserRegistered(puppet)));
    await restarted.getIntentForUserId(puppet).ensureRegistered();
    assert.ok(await restarted.storage.isUserRegistered(puppet));

    // And the server's answer was indeed M_USER_IN_USE (not a second account).
    const direct = await request('POST', '/_matrix/client/v3/register',
        { type: 'm.login.application_service', username: 'botsdk_twice' }, registration.as_token);
    assert.equal(direct.status, 400, JSON.stringify(direct.body));
    assert.equal(direct.body.errcode, 'M_USER_IN_USE');
});

test('a puppet creates a room, the owner joins and replies, the Appservice receives both', async () => {
    const puppet = `@botsdk_alice:${serverName}`;
    const intent = appservice.getIntentForUserId(puppet);
    await intent.ensureRegistered();
    const client = intent.underlyingClient;
    assert.equal(await client.getUserId(), puppet);

    const roomId = await client.createRoom({ name: 'Bot-sdk bridge room', invite: [owner] });
    assert.match(roomId, /^!.+:test\.local$/);
    const puppetMessageId = await client.sendText(roomId, 'hello from the bridge');
    assert.match(puppetMessageId, /^\$/);

    const login = await call('POST', '/_matrix/client/v3/login', {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: owner },
        password,
    });
    const room = encodeURIComponent(roomId);

    // Listen before acting: a fast pusher may deliver before the HTTP answer reaches us.
    const joined = nextEvent('room.event',
        (rid, e) => rid === roomId && e.type === 'm.room.member' && e.state_key === owner &&
            e.content?.membership === 'join',
        "the owner's join");
    const { room_id: joinedRoom } = await call('POST', `/_matrix/client/v3/rooms/${room}/join`, {},
        login.access_token);
    assert.equal(joinedRoom, roomId);
    const joinEvent = await joined;
    assert.equal(joinEvent.sender, owner);
    assert.match(joinEvent.event_id, /^\$/);

    const replied = nextEvent('room.message',
        (rid, e) => rid === roomId && e.sender === owner, "the owner's reply");
    const { event_id: replyId } = await call('PUT',
        `/_matrix/client/v3/rooms/${room}/send/m.room.message/botsdk-reply-1`,
        { msgtype: 'm.text', body: 'hello, bridge' }, login.access_token);
    const reply = await replied;
    assert.equal(reply.event_id, replyId);
    assert.equal(reply.type, 'm.room.message');
    assert.equal(reply.room_id, roomId);
    assert.deepEqual(reply.content, { msgtype: 'm.text', body: 'hello, bridge' });
    assert.equal(typeof reply.origin_server_ts, 'number');

    // The puppet reads the reply back through bot-sdk as well: the same event.
    const fetched = await client.getEvent(roomId, replyId);
    assert.equal(fetched.sender, owner);
    assert.equal(fetched.content.body, 'hello, bridge');
});
