#!/usr/bin/env python3
"""Gives a fresh desk's status page realistic content through the admin API (Python 3 standard library only).

  populate.py --url URL
      With the admin token in $LIFELINE_TOKEN: two groups of four components each, three resolved incidents (each
      published and then resolved, so the history and feeds have entries), and one active incident published with a
      degraded and a partly-out component and then updated twice (identified, monitoring) with a next-update time.
      Then waits until /api/v2/summary.json shows the active incident (documents are re-rendered after each change)
      and prints "READY <unresolved incidents> <components>".
"""

import argparse
import datetime
import http.client
import json
import os
import sys
import time
import urllib.parse

GROUPS = {
    "Customer channels": [
        ("Website", "www.example.test and the customer portal"),
        ("Support email", "Inbound mail to support@ and ticket replies"),
        ("Phone line", "The 24/7 emergency number"),
        ("Chat", "Live chat on the website"),
    ],
    "Platform": [
        ("API", "Public REST API and webhooks"),
        ("Database cluster", "Primary and replicas in two regions"),
        ("Object storage", "Uploads, attachments and backups"),
        ("Notifications", "SMS, voice and email delivery to customers"),
    ],
}

RESOLVED = [
    ("Delayed ticket replies by email", "Support email",
     "Replies to tickets are reaching customers with a delay of up to 20 minutes. We are investigating.",
     "The mail relay's queue has drained and replies are delivered at once again."),
    ("Website unavailable for some visitors", "Website",
     "Some visitors in Europe see errors when loading the portal. We are looking into it.",
     "A faulty load balancer node was removed from rotation; the portal is available to everyone."),
    ("Elevated API error rates", "API",
     "About 3% of API requests fail with 502 errors. Our engineers are on it.",
     "A bad deploy was rolled back and error rates are back to normal."),
]


def api(conn, method, path, body, token):
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    res = conn.getresponse()
    text = res.read().decode("utf-8", "replace")
    if res.status not in (200, 201):
        sys.exit("populate: %s %s answered %d: %s" % (method, path, res.status, text))
    return json.loads(text)


def rfc3339(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--wait", type=float, default=10.0, help="seconds to wait for the summary to show the incident")
    args = p.parse_args()
    token = os.environ.get("LIFELINE_TOKEN", "")
    if not token:
        sys.exit("populate: set LIFELINE_TOKEN to the admin's API token")
    u = urllib.parse.urlsplit(args.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    ids = {}
    for position, (group, components) in enumerate(GROUPS.items()):
        g = api(conn, "POST", "/api/v1/status/groups", {"name": group, "position": position}, token)
        for i, (name, description) in enumerate(components):
            c = api(conn, "POST", "/api/v1/status/components",
                    {"name": name, "description": description, "group_id": g["id"], "position": i}, token)
            ids[name] = c["id"]

    for name, component, first, last in RESOLVED:
        incident = api(conn, "POST", "/api/v1/status/incidents",
                       {"name": name, "impact": "minor", "component_ids": [ids[component]],
                        "component_status": "degraded_performance", "body": first}, token)
        api(conn, "POST", "/api/v1/status/incidents/%d/updates" % incident["id"],
            {"status": "resolved", "body": last}, token)

    active = api(conn, "POST", "/api/v1/status/incidents",
                 {"name": "SMS notifications delayed", "impact": "major",
                  "component_ids": [ids["Notifications"], ids["API"]], "component_status": "partial_outage",
                  "body": "Text messages to customers are delayed by several minutes and some are not delivered. "
                          "Email and voice calls are not affected. We are investigating.",
                  "next_update_at": rfc3339(1800)}, token)
    api(conn, "POST", "/api/v1/status/incidents/%d/updates" % active["id"],
        {"status": "identified",
         "body": "Our SMS provider reports an outage in one of its carrier connections. We are moving traffic to a "
                 "second provider.",
         "components": [{"id": ids["API"], "status": "degraded_performance"}],
         "next_update_at": rfc3339(1800)}, token)
    api(conn, "POST", "/api/v1/status/incidents/%d/updates" % active["id"],
        {"status": "monitoring",
         "body": "Messages are flowing through the second provider and the backlog is draining. We keep watching "
                 "delivery rates.",
         "next_update_at": rfc3339(3600)}, token)

    deadline = time.monotonic() + args.wait
    while True:
        conn.request("GET", "/api/v2/summary.json")
        res = conn.getresponse()
        summary = json.loads(res.read())
        unresolved = [i for i in summary.get("incidents", []) if i["status"] != "resolved"]
        if unresolved and len(unresolved[0].get("incident_updates", [])) == 3:
            print("READY %d %d" % (len(unresolved), len(summary.get("components", []))), flush=True)
            return
        if time.monotonic() > deadline:
            sys.exit("populate: the summary did not show the active incident within %.0f s" % args.wait)
        time.sleep(0.1)


if __name__ == "__main__":
    main()
