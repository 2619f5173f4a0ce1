"""What uvicorn does that a client or a launcher of GPT-SoVITS sees: `run` and `logger`.

run      signals, start-up lines, then the port opens (upstream loads every model BEFORE
         `uvicorn.run`); a taken port: asyncio `create_server`'s "[Errno N] error while
         attempting to bind on address (...): <strerror lower>", lifespan shutdown lines,
         exit 3; the access log '127.0.0.1:5555 - "GET /x HTTP/1.1" 200 OK' to stdout; an
         exception in an endpoint -> "Exception in ASGI application" + traceback and a 500
         "Internal Server Error" text/plain, or a cut stream once a StreamingResponse has
         started; SIGINT/SIGTERM -> graceful shutdown lines, then the signal is raised again
         (`capture_signals`: SIGTERM exits -15 on POSIX, Ctrl+C exits 0).
logger   logging.getLogger("uvicorn") under LOGGING_CONFIG: "INFO:     ..." lines to stderr.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standin_common import flush_output, record, write
from standin_fastapi import FastAPI, Request, Response

# --- uvicorn's logger and access log ------------------------------------------------------


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class _UvicornLogger:
    """logging.getLogger("uvicorn") under uvicorn's LOGGING_CONFIG: '%(levelprefix)s %(message)s' to stderr."""

    def log(self, level: str, message: str) -> None:
        write(sys.stderr, f"{(level + ':').ljust(9)} {message}\n")

    def info(self, message: str) -> None:
        self.log("INFO", message)

    def warning(self, message: str) -> None:
        self.log("WARNING", message)

    def error(self, message: str) -> None:
        self.log("ERROR", message)

    def exception_in_app(self) -> None:
        self.error("Exception in ASGI application\n" + traceback.format_exc().rstrip("\n"))


logger = _UvicornLogger()


def access_log(client: tuple, method: str, target: str, version: str, status: int) -> None:
    write(sys.stdout, f'INFO:     {client[0]}:{client[1]} - "{method} {target} {version}" {status} {_phrase(status)}\n')


# --- the HTTP server: uvicorn's visible behaviour on top of http.server -------------------


class _Ctl:
    """Shared state of the listening servers: open connections, shutting down or not."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.conns: dict = {}  # handler -> busy?
        self.stopping = False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ctl: _Ctl = None  # type: ignore[assignment]

    def version_string(self) -> str:
        return "uvicorn"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def setup(self) -> None:
        super().setup()
        with self.ctl.lock:
            self.ctl.conns[self] = False

    def finish(self) -> None:
        with self.ctl.lock:
            self.ctl.conns.pop(self, None)
        try:
            super().finish()
        except OSError:
            pass

    def _dispatch(self) -> None:
        with self.ctl.lock:
            self.ctl.conns[self] = True
        try:
            self._handle()
        finally:
            with self.ctl.lock:
                self.ctl.conns[self] = False
                if self.ctl.stopping:
                    self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _dispatch

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(65537).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        req = Request(self.command, self.path, headers, body, self.client_address[:2])
        try:
            parsed_json = json.loads(body) if body else None
        except ValueError:
            parsed_json = None
        entry = {"method": req.method, "path": req.path, "query": req.query(), "json": parsed_json,
                 "content_type": headers.get("content-type")}
        if body and parsed_json is None:
            entry["body"] = body.decode("utf-8", "replace")
        record("request", **entry)
        try:
            resp = self.ctl.app.dispatch(req)
        except BaseException:  # noqa: BLE001 - uvicorn catches BaseException, SystemExit included
            logger.exception_in_app()
            resp = Response(b"Internal Server Error", 500, "text/plain; charset=utf-8")
        self._send(req, resp)
        record("response", method=req.method, path=req.path, status=resp.status)

    def _send(self, req: Request, resp: Response) -> None:
        self.send_response_only(resp.status, _phrase(resp.status))
        self.send_header("date", self.date_time_string())
        self.send_header("server", "uvicorn")
        if resp.stream is None:
            self.send_header("content-length", str(len(resp.body)))
        if resp.content_type:
            self.send_header("content-type", resp.content_type)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        if resp.stream is not None:
            self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        access_log(req.client, req.method, req.target, self.request_version, resp.status)
        if req.method == "HEAD":
            return
        if resp.stream is None:
            self.wfile.write(resp.body)
            self.wfile.flush()
            return
        try:
            for chunk in resp.stream:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
        except BaseException:  # noqa: BLE001 - the response has started: uvicorn logs and drops it
            logger.exception_in_app()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def bind_like_asyncio(host: str | None, port: int, backlog: int = 2048) -> list:
    """asyncio BaseEventLoop.create_server(host, port): one socket per address, same errors."""
    infos = socket.getaddrinfo(host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    seen = []
    for info in infos:
        if info not in seen:
            seen.append(info)
    sockets: list = []
    completed = False
    try:
        for af, socktype, proto, _canon, sa in seen:
            try:
                sock = socket.socket(af, socktype, proto)
            except OSError:
                continue
            sockets.append(sock)
            if os.name == "posix" and sys.platform != "cygwin":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
            if af == getattr(socket, "AF_INET6", None) and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, True)
            try:
                sock.bind(sa)
            except OSError as err:
                if err.errno == errno.EADDRNOTAVAIL:
                    sockets.pop()
                    sock.close()
                    continue
                msg = "error while attempting to bind on address %r: %s" % (sa, str(err.strerror).lower())
                raise OSError(err.errno, msg) from None
        if not sockets:
            raise OSError("could not bind on any address out of %r" % ([info[4] for info in seen],))
        for sock in sockets:
            sock.listen(backlog)
        completed = True
    finally:
        if not completed:
            for sock in sockets:
                sock.close()
    return sockets


def _make_server(sock: socket.socket, handler: type) -> ThreadingHTTPServer:
    class _Server(ThreadingHTTPServer):
        address_family = sock.family
        daemon_threads = True
        allow_reuse_address = False

    srv = _Server(sock.getsockname()[:2], handler, bind_and_activate=False)
    srv.socket.close()
    srv.socket = sock
    srv.server_address = sock.getsockname()
    return srv


def _capture_signals(received: list, stop: threading.Event) -> dict:
    def handle_exit(signum, frame) -> None:  # uvicorn Server.handle_exit
        received.append(signum)
        stop.set()

    handled = [signal.SIGINT, signal.SIGTERM]
    if sys.platform == "win32" and hasattr(signal, "SIGBREAK"):
        handled.append(signal.SIGBREAK)
    originals = {}
    for sig in handled:
        try:
            originals[sig] = signal.signal(sig, handle_exit)
        except (OSError, ValueError):
            pass
    return originals


def _close_connections(ctl: _Ctl) -> None:
    """uvicorn Server.shutdown: idle connections now, busy ones when they are done (10 s at most)."""
    deadline = time.monotonic() + 10
    announced = False
    while time.monotonic() < deadline:
        with ctl.lock:
            idle = [h for h, busy in ctl.conns.items() if not busy]
            busy_count = sum(1 for busy in ctl.conns.values() if busy)
        for h in idle:
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if not busy_count and not idle:
            return
        if busy_count and not announced:
            logger.info("Waiting for connections to close. (CTRL+C to force quit)")
            announced = True
        time.sleep(0.05)


def run(app: FastAPI, host: str | None, port: int) -> None:
    """uvicorn.run(app, host, port): signals, start-up lines, bind (exit 3), serve, shutdown."""
    pid = os.getpid()
    stop = threading.Event()
    received: list = []
    originals = _capture_signals(received, stop)
    logger.info(f"Started server process [{pid}]")
    logger.info("Waiting for application startup.")
    logger.info("Application startup complete.")
    try:
        sockets = bind_like_asyncio(host, port)
    except OSError as exc:
        logger.error(str(exc))
        logger.info("Waiting for application shutdown.")
        logger.info("Application shutdown complete.")
        record("bind_failed", host=host, port=port, error=str(exc))
        sys.exit(3)  # uvicorn.main.STARTUP_FAILURE

    ctl = _Ctl(app)
    handler = type("Handler", (_Handler,), {"ctl": ctl})
    servers = [_make_server(sock, handler) for sock in sockets]
    record("listening", host=host, port=port, addresses=[list(s.getsockname()[:2]) for s in sockets])
    shown = "0.0.0.0" if host is None else host
    fmt = "http://[%s]:%d" if ":" in shown else "http://%s:%d"
    logger.info(("Uvicorn running on " + fmt + " (Press CTRL+C to quit)") % (shown, port))
    for srv in servers:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    while not stop.wait(0.25):
        pass

    logger.info("Shutting down")
    with ctl.lock:
        ctl.stopping = True
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    _close_connections(ctl)
    logger.info("Waiting for application shutdown.")
    logger.info("Application shutdown complete.")
    logger.info(f"Finished server process [{pid}]")
    record("shutdown", signals=[int(s) for s in received])
    for sig, original in originals.items():
        try:
            signal.signal(sig, original)
        except (OSError, ValueError):
            pass
    flush_output()
    # capture_signals re-raises what it caught. SIGTERM then kills the process (-15 on POSIX);
    # SIGINT becomes KeyboardInterrupt, which uvicorn.run swallows: exit 0.
    for sig in reversed(received):
        if sig != signal.SIGINT:
            signal.raise_signal(sig)
