# A client for the node's kernel-side tests. argv[1] is a JSON spec:
#   {"host", "port", "connections": [[{"method", "path", "headers", "body"}, ...], ...]}
#     each connection is one keep-alive HTTP/1.1 connection on its own thread; all start together;
#     with "repeat": N each repeats its one request (path + "/<i>") until a line on stdin, at most N
#     times
#   {"raw": {"host", "port", "send"}}: one TCP exchange: send, read one line, close
# Prints one JSON line per response, then {"done": count, "stopped": bool}, then stays alive until
# stdin closes, so that its spans are named after it (OTEL_SERVICE_NAME) while the test reads them.
import http.client
import json
import socket
import sys
import threading

spec = json.loads(sys.argv[1])
lock = threading.Lock()
count = 0


def emit(obj):
    with lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def send(conn, index, request):
    global count
    body = request.get("body")
    conn.request(
        request.get("method", "GET"),
        request["path"],
        body=None if body is None else body.encode(),
        headers=request.get("headers", {}),
    )
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    headers = {k.lower(): v for k, v in response.getheaders()}
    with lock:
        count += 1
    emit({"conn": index, "path": request["path"], "status": response.status,
          "headers": headers, "body": text})


def connection(index, requests, start, stop, repeat):
    conn = http.client.HTTPConnection(spec["host"], spec["port"], timeout=20)
    start.wait()
    if repeat:
        i = 0
        while not stop.is_set() and i < repeat:
            request = dict(requests[0])
            request["path"] = requests[0]["path"] + "/" + str(i)
            send(conn, index, request)
            i += 1
    else:
        for request in requests:
            send(conn, index, request)
    conn.close()


if "raw" in spec:
    raw = spec["raw"]
    s = socket.create_connection((raw["host"], raw["port"]), timeout=20)
    s.sendall(raw["send"].encode())
    received = b""
    while not received.endswith(b"\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        received += chunk
    s.close()
    emit({"raw": received.decode()})
    emit({"done": 1, "stopped": False})
else:
    connections = spec["connections"]
    repeat = spec.get("repeat", 0)
    start = threading.Barrier(len(connections))
    stop = threading.Event()
    threads = [threading.Thread(target=connection, args=(i, c, start, stop, repeat))
               for i, c in enumerate(connections)]
    for t in threads:
        t.start()
    if repeat:
        sys.stdin.readline()
        stop.set()
    for t in threads:
        t.join()
    emit({"done": count, "stopped": stop.is_set()})
sys.stdin.read()
