#!/usr/bin/env python3
"""Offline checks for files no linter here covers (called by infra/check.sh).

- compose.yaml: parses, every bind-mounted path exists, the MarketPulse services use the
  ASP.NET configuration names the service reads, silos have distinct Orleans ports, and every
  silo is a Prometheus scrape target.
- Grafana: provisioning YAML parses; dashboards are JSON with unique uids, refer only to the
  provisioned data source, and every PromQL expression parses (via `promtool check rules` on a
  generated rule file, Grafana's $__ variables replaced by durations).
- alerts.yml as the Bicep reads it (bicep/modules/prometheusAlerts.bicep translates it for Azure
  Monitor at deployment time): every alert not listed there as untranslated has a `for` that
  becomes a valid ISO 8601 duration ("15m" -> "PT15M") and a severity Azure Monitor's mapping
  knows; every group keeps at least one rule.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
errors: list[str] = []


def fail(msg: str) -> None:
    errors.append(msg)


def check_compose() -> None:
    compose = yaml.safe_load((INFRA / "compose.yaml").read_text())
    services = compose["services"]
    for name, svc in services.items():
        for vol in svc.get("volumes", []):
            src = vol.split(":")[0]
            if src.startswith((".", "/")) and not (INFRA / src).resolve().exists():
                fail(f"compose: {name} mounts missing path {src}")
        build = svc.get("build")
        if build and not (INFRA / build["context"] / build["dockerfile"]).exists():
            fail(f"compose: {name} builds from a missing Dockerfile")

    apps = {n: s for n, s in services.items() if s.get("image") == "marketpulse:local"}
    required = ["MarketPulse__Profile", "MarketPulse__Role", "ConnectionStrings__redis", "ConnectionStrings__queues",
                "ConnectionStrings__postgres", "MarketPulse__Api__Keys__0"]
    ports = set()
    for name, svc in apps.items():
        env = svc.get("environment", {})
        for key in required:
            if key not in env:
                fail(f"compose: {name} lacks {key}")
        if env.get("MarketPulse__Profile") != "Cluster":
            fail(f"compose: {name} is not in the Cluster profile")
        if env.get("MarketPulse__Role") == "silo":
            pair = (env.get("MarketPulse__Orleans__SiloPort"), env.get("MarketPulse__Orleans__GatewayPort"))
            if None in pair or pair[0] in {p for pp in ports for p in pp} or pair[1] in {p for pp in ports for p in pp}:
                fail(f"compose: {name} needs its own SiloPort/GatewayPort, got {pair}")
            ports.add(pair)

    prom = yaml.safe_load((INFRA / "prometheus" / "prometheus.yml").read_text())
    targets = {t for job in prom["scrape_configs"] for sc in job.get("static_configs", []) for t in sc["targets"]}
    for name, svc in apps.items():
        if f"{name}:8080" not in targets:
            fail(f"prometheus.yml: {name} is not scraped")


def check_grafana() -> None:
    prov = INFRA / "grafana" / "provisioning"
    ds_uids = set()
    for path in prov.rglob("*.yml"):
        doc = yaml.safe_load(path.read_text())
        ds_uids |= {d["uid"] for d in doc.get("datasources", [])}
    exprs: list[tuple[str, str]] = []
    uids = set()
    for path in sorted((INFRA / "grafana" / "dashboards").glob("*.json")):
        dash = json.loads(path.read_text())
        if dash["uid"] in uids:
            fail(f"{path.name}: duplicate uid {dash['uid']}")
        uids.add(dash["uid"])
        for panel in dash["panels"]:
            if panel["type"] == "row":
                continue
            if panel["datasource"]["uid"] not in ds_uids:
                fail(f"{path.name}: panel '{panel['title']}' uses unknown data source {panel['datasource']}")
            for target in panel["targets"]:
                exprs.append((f"{path.stem} / {panel['title']}", target["expr"]))

    # promtool parses every expression as a recording rule.
    rules = {"groups": [{"name": "dashboards", "rules": [
        {"record": f"dashboard:expr_{i}", "expr": re.sub(r"\$__(rate_interval|interval)", "1m", e).replace("$__range", "6h")}
        for i, (_, e) in enumerate(exprs)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump(rules, f)
    result = subprocess.run(["promtool", "check", "rules", f.name], capture_output=True, text=True)
    pathlib.Path(f.name).unlink()
    if result.returncode != 0:
        fail("dashboard PromQL does not parse:\n" + result.stdout + result.stderr)
    print(f"grafana: {len(uids)} dashboards, {len(exprs)} PromQL expressions parse")


def check_azure_rules() -> None:
    bicep = (ROOT / "bicep" / "modules" / "prometheusAlerts.bicep").read_text()
    skipped = set(re.findall(r"'(MarketPulse\w+)'", bicep.split("var notInAzure", 1)[1].split("]", 1)[0]))
    severities = set(re.findall(r"^\s+(\w+): \d$", bicep.split("var severities", 1)[1].split("}", 1)[0], re.M))
    if not skipped or not severities:
        fail("prometheusAlerts.bicep: could not read notInAzure / severities")
    rules = yaml.safe_load((INFRA / "prometheus" / "alerts.yml").read_text())
    translated = 0
    for group in rules["groups"]:
        kept = [r for r in group["rules"] if r.get("alert") not in skipped]
        for r in kept:
            if "record" in r:
                continue
            translated += 1
            # PT + upper-cased Prometheus duration: only hours, minutes and seconds map to ISO 8601 that way.
            if not re.fullmatch(r"(\d+h)?(\d+m)?(\d+s)?", r.get("for", "")) or not r.get("for"):
                fail(f"alerts.yml: {r['alert']} has for={r.get('for')!r}, which the Azure translation cannot express")
            if r.get("labels", {}).get("severity") not in severities:
                fail(f"alerts.yml: {r['alert']} severity {r.get('labels', {}).get('severity')!r} not in {sorted(severities)}")
    unknown = skipped - {r.get("alert") for g in rules["groups"] for r in g["rules"]}
    if unknown:
        fail(f"prometheusAlerts.bicep skips alerts alerts.yml does not have: {sorted(unknown)}")
    print(f"azure monitor: {translated} alerts translated, {len(skipped)} not ({', '.join(sorted(skipped))})")


check_compose()
check_grafana()
check_azure_rules()
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("compose.yaml, Grafana files and the Azure rule translation: OK")
