#!/usr/bin/env python3
"""Load generator for scripts/bench-peer: posts the photos round-robin to Darkroom's /v1/segment and rembg's
/api/remove at a fixed concurrency, alternating rounds between the two, and prints req/s, p50, p99 and the
ratio. Standard library only. Each response is checked to be a PNG; anything else counts as an error."""
import argparse, http.client, statistics, threading, time, urllib.parse, uuid


def multipart(field, name, data, extra):
    boundary = uuid.uuid4().hex
    body = b""
    for key, value in extra:
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n".encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
             f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def round_(url, bodies, concurrency, seconds):
    parsed = urllib.parse.urlparse(url)
    latencies, errors, lock = [], [0], threading.Lock()
    mirrored = [0]
    kinds = {}
    counter = [0]
    end = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        while time.monotonic() < end:
            with lock:
                body, ctype = bodies[counter[0] % len(bodies)]
                counter[0] += 1
            start = time.monotonic()
            try:
                conn.request("POST", parsed.path, body=body, headers={"Content-Type": ctype})
                response = conn.getresponse()
                data = response.read()
                ok = response.status == 200 and data[:8] == b"\x89PNG\r\n\x1a\n"
                applied = response.getheader("x-darkroom-test-time-mirror") == "applied"
                kind = f"HTTP {response.status}"
            except Exception as error:
                ok = False
                kind = type(error).__name__
                time.sleep(0.01)
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
            elapsed = time.monotonic() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                    mirrored[0] += applied
                else:
                    errors[0] += 1
                    kinds[kind] = kinds.get(kind, 0) + 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if kinds:
        print(f"  errors from {url}: {kinds}")
    return latencies, errors[0], time.monotonic() - started, mirrored[0]


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    # rembg has no int8 models: Darkroom's u2net-int8 is measured against rembg's u2net (same weights before
    # quantisation).
    parser.add_argument("--peer-model", help="model rembg runs (default: --model)")
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("photos", nargs="+")
    args = parser.parse_args()
    peer_model = args.peer_model or args.model
    photos = [(p.rsplit("/", 1)[-1], open(p, "rb").read()) for p in args.photos]
    targets = {
        "darkroom": (args.darkroom, [multipart("image_file", n, d, [("format", "png")]) for n, d in photos]),
        # A second Darkroom (another configuration) can stand in for the peer: `darkroom bench` tuning uses that.
        "rembg" if not args.peer.endswith("/v1/segment") else "other": (args.peer, [
            multipart("file", n, d, [("model", peer_model)]) if not args.peer.endswith("/v1/segment")
            else multipart("image_file", n, d, [("format", "png")]) for n, d in photos]),
    }
    for name, (url, bodies) in targets.items():  # warm-up: load the model, fill caches
        round_(url, bodies[:2], 1, 0.1)  # its counts are not used
    for concurrency in args.concurrency:
        totals = {name: ([], 0, 0.0, 0) for name in targets}
        for r in range(args.rounds):
            order = list(targets) if r % 2 == 0 else list(reversed(list(targets)))
            for name in order:
                url, bodies = targets[name]
                latencies, errors, elapsed, mirrors = round_(url, bodies, concurrency, args.seconds)
                done, errs, time_, mirrors_ = totals[name]
                totals[name] = (done + latencies, errs + errors, time_ + elapsed, mirrors_ + mirrors)
        rates = {}
        for name, (latencies, errors, elapsed, mirrors) in totals.items():
            rates[name] = len(latencies) / elapsed
            # Darkroom says per answer whether the test-time mirror ran (only when two sessions were spare).
            share = f", {100 * mirrors / max(len(latencies), 1):.0f} % mirrored" if name != "rembg" else ""
            print(f"{args.model}\tc={concurrency}\t{name:8s}\t{rates[name]:.2f} req/s\tp50 {percentile(latencies, .5)*1000:.0f} ms"
                  f"\tp99 {percentile(latencies, .99)*1000:.0f} ms\t{len(latencies)} ok, {errors} errors{share}")
        peer = [name for name in rates if name != "darkroom"][0]
        against = f" (rembg runs {peer_model})" if peer == "rembg" and peer_model != args.model else ""
        print(f"{args.model}\tc={concurrency}\tdarkroom/{peer} = {rates['darkroom'] / rates[peer]:.2f}x{against}")


if __name__ == "__main__":
    main()
