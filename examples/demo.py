"""pystrobe's demo workload: a small "web service" doing three kinds of work.

Run it under pystrobe (see README.md, first quick-start command):
    pystrobe record -o demo.svg -- python3 examples/demo.py
Most of the time goes to render_page -> format_rows; some to parse_request
and a little to a checksum. The flame graph should show exactly that.
"""
import json
import sys
import time
import zlib


def parse_request(i):
    body = json.dumps({"user": i, "items": list(range(50)), "tags": ["a", "b", "c"]})
    return json.loads(body)


def format_rows(req):
    rows = []
    for item in req["items"]:
        rows.append("<tr><td>%d</td><td>%s</td></tr>" % (item, str(item * item)))
    return "".join(rows)


def render_page(req):
    html = ""
    for _ in range(4):
        html += format_rows(req)
    return html


def checksum(html):
    return zlib.crc32(html.encode("utf-8"))


def handle(i):
    req = parse_request(i)
    html = render_page(req)
    return checksum(html)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    end = time.time() + seconds
    served = 0
    while time.time() < end:
        handle(served)
        served += 1
    print("served %d requests" % served)


if __name__ == "__main__":
    main()
