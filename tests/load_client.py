"""Many people posting the comment form at once, run as its own process.

    python tests/load_client.py HOST PORT ARTICLE_PATH COUNT

Each client does what a browser behind the production proxy does: GET the article
(keeping its CSRF cookie and the form's signed hidden fields), then POST the form
with its own name, email and text. All clients fetch first, then post together.
Each arrives from its own /24 network in X-Forwarded-For, as the proxy reports it.
Prints one JSON list: per client its number, statuses, Location and any error.
"""

import http.client
import json
import re
import sys
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
ACTION = re.compile(r'id="comment-form"[^>]*action="([^"]+)"')


def client_address(number):
    return f"10.{number // 200}.{number % 200}.7"


def body_of(number):
    return f"Comment {number} from the load test: the soup recipe worked."


def fetch_form(host, port, path, headers):
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        html = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    form = html[html.index('id="comment-form"') :]
    form = form[: form.index("</form>")]
    action = ACTION.search(html).group(1)
    return action, dict(HIDDEN.findall(form)), cookies["csrftoken"].value


def one_client(number, host, port, path, start_together, results):
    origin = f"https://{host}:{port}"
    headers = {
        "Host": f"{host}:{port}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": client_address(number),
    }
    result = {"number": number}
    results[number] = result
    try:
        action, fields, csrf_cookie = fetch_form(host, port, path, headers)
    except Exception as error:
        result["error"] = f"GET: {type(error).__name__}: {error}"
        start_together.wait()
        return
    fields.update(
        name=f"Load Tester {number}",
        email=f"load.tester.{number}@example.com",
        body=body_of(number),
    )
    start_together.wait()
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request(
            "POST",
            action,
            body=urlencode(fields),
            headers={
                **headers,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Origin": origin,
                "Referer": origin + path,
            },
        )
        response = connection.getresponse()
        response.read()
        result["status"] = response.status
        result["location"] = response.getheader("Location", "")
    except Exception as error:
        result["error"] = f"POST: {type(error).__name__}: {error}"
    finally:
        connection.close()


def main(host, port, path, count):
    results = [None] * count
    start_together = threading.Barrier(count)
    threads = [
        threading.Thread(
            target=one_client, args=(n, host, port, path, start_together, results)
        )
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
