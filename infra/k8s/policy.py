#!/usr/bin/python3
"""Policy check of rendered Kubernetes manifests (stdin, `kubectl kustomize DIR | policy.py`) or of Dockerfiles
(`policy.py --dockerfile FILE...`). Prints one line per violation and exits 1 when there is any.

Every workload's containers run as a non-root user without privilege escalation, with a read-only root file
system, every capability dropped, CPU and memory requests and limits (limit >= request); every Deployment's
containers have liveness and readiness probes and a PodDisruptionBudget covers the Deployment; a Dockerfile's
final stage switches to a non-root USER and declares a HEALTHCHECK."""
import re
import sys

WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "K": 10**3, "M": 10**6, "G": 10**9, "m": 0.001, "": 1}


def quantity(text):
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text))
    if not match or match.group(2) not in UNITS:
        raise ValueError(f"not a quantity: {text}")
    return float(match.group(1)) * UNITS[match.group(2)]


def pod_spec(doc):
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    return spec.get("template", {}).get("spec", {})


def check_workload(doc, problems):
    name = f"{doc['kind']}/{doc['metadata']['name']}"
    pod = pod_spec(doc)
    pod_security = pod.get("securityContext", {}) or {}
    for container in pod.get("containers", []) + pod.get("initContainers", []):
        where = f"{name} container {container['name']}"
        security = {**pod_security, **(container.get("securityContext", {}) or {})}
        if security.get("runAsNonRoot") is not True:
            problems.append(f"{where}: runAsNonRoot is not true")
        if security.get("runAsUser", 1) == 0:
            problems.append(f"{where}: runs as uid 0")
        if security.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: allowPrivilegeEscalation is not false")
        if security.get("privileged"):
            problems.append(f"{where}: privileged")
        if security.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{where}: readOnlyRootFilesystem is not true")
        if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
            problems.append(f"{where}: capabilities are not all dropped")
        resources = container.get("resources", {}) or {}
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in (resources.get(kind) or {}):
                    problems.append(f"{where}: no {resource} {kind[:-1]}")
        for resource in ("cpu", "memory"):
            request = (resources.get("requests") or {}).get(resource)
            limit = (resources.get("limits") or {}).get(resource)
            if request and limit and quantity(limit) < quantity(request):
                problems.append(f"{where}: {resource} limit {limit} is below its request {request}")
        if doc["kind"] == "Deployment":
            for probe in ("livenessProbe", "readinessProbe"):
                if probe not in container:
                    problems.append(f"{where}: no {probe}")


def covered_by(budgets, labels):
    return any(
        all(labels.get(key) == value for key, value in (budget.get("spec", {}).get("selector", {}).get("matchLabels") or {}).items())
        for budget in budgets)


def check_manifests(docs):
    problems = []
    budgets = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    workloads = [d for d in docs if d["kind"] in WORKLOADS]
    if not workloads:
        problems.append("no workload found in the manifests")
    for doc in workloads:
        check_workload(doc, problems)
        if doc["kind"] == "Deployment":
            labels = doc["spec"]["template"]["metadata"].get("labels", {})
            if not covered_by(budgets, labels):
                problems.append(f"Deployment/{doc['metadata']['name']}: no PodDisruptionBudget selects its pods")
    return problems


def check_dockerfile(path):
    lines = [line.strip() for line in open(path, encoding="utf-8") if line.strip() and not line.lstrip().startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.upper().startswith("FROM "))
    final = lines[last_from:]
    users = [line.split(None, 1)[1] for line in final if line.upper().startswith("USER ")]
    problems = []
    if not users or users[-1].split(":")[0] in ("0", "root"):
        problems.append(f"{path}: the final stage does not switch to a non-root USER")
    if not any(line.upper().startswith("HEALTHCHECK ") for line in final):
        problems.append(f"{path}: the final stage has no HEALTHCHECK")
    return problems


def main(argv):
    if argv[1:2] == ["--dockerfile"]:
        problems = [p for path in argv[2:] for p in check_dockerfile(path)]
    else:
        import yaml
        problems = check_manifests([d for d in yaml.safe_load_all(sys.stdin) if d])
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
