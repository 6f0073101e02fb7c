# An HTTP/1.1 backend for the node's kernel-side tests: keep-alive, Content-Length responses
# ("ok <target>"), one thread per connection. Prints its port, then serves until stdin closes.
import http.server
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = ("ok " + self.path + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print('{"port": %d}' % server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
