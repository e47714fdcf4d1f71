// Installed before the page's own scripts: replaces WebSocket with a stand-in the test
// drives frame by frame (see ScriptedSocket.java), to check the page against frames the
// server may not send yet.
(() => {
  const control = { sockets: [], sent: [], refuse: false };

  class ScriptedWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;

    constructor(url, protocol) {
      this.url = String(url);
      this.protocol = protocol === undefined ? '' : String(protocol);
      this.readyState = ScriptedWebSocket.CONNECTING;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this.onclose = null;
      control.sockets.push(this);
      // Asynchronous, like a real handshake: the page sets its handlers first.
      setTimeout(() => {
        if (control.refuse) {
          this.onerror?.({});
          this.closeWith(1006);
        } else {
          this.readyState = ScriptedWebSocket.OPEN;
          this.onopen?.({});
        }
      }, 0);
    }

    send(data) {
      if (this.readyState !== ScriptedWebSocket.OPEN) {
        throw new Error('send on a socket that is not open');
      }
      control.sent.push({ socket: control.sockets.indexOf(this), frame: JSON.parse(data) });
    }

    close() {
      this.closeWith(1006);
    }

    deliver(frame) {
      this.onmessage?.({ data: JSON.stringify(frame) });
    }

    closeWith(code) {
      if (this.readyState === ScriptedWebSocket.CLOSED) {
        return;
      }
      this.readyState = ScriptedWebSocket.CLOSED;
      this.onclose?.({ code, reason: '', wasClean: code !== 1006 });
    }
  }

  // Backoff draws from Math.random; a test pins the draw to know the delays.
  const random = Math.random;
  Math.random = () => (typeof control.random === 'number' ? control.random : random());

  control.current = () => control.sockets[control.sockets.length - 1];
  window.WebSocket = ScriptedWebSocket;
  window.__scriptedSocket = control;
})();
