#!/usr/bin/python3
"""Checks a SARIF log against the SARIF 2.1.0 schema, for the objects nsmon writes.

Usage: sarif_check.py FILE   (exit 1 with the first violation; prints the log's summary)

The schema (sarif-schema-2.1.0.json, OASIS) is not vendored and no JSON-schema validator is
installed: this is its rules for the objects nsmon's SARIF uses, each with the properties the
schema allows (it sets additionalProperties: false on them), those it requires and the types and
ranges it gives. An object nsmon does not write is refused here, so a new one is added with its
schema rules.
"""
import json
import sys

LEVELS = {"none", "note", "warning", "error"}

# object: (allowed properties, required properties)
OBJECTS = {
    "sarifLog": ({"$schema", "version", "runs", "inlineExternalProperties", "properties"}, {"version", "runs"}),
    "run": ({"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
             "artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates",
             "baselineGuid", "redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
             "columnKind", "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
             "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties"}, {"tool"}),
    "tool": ({"driver", "extensions", "properties"}, {"driver"}),
    "toolComponent": ({"guid", "name", "organization", "product", "productSuite", "shortDescription",
                       "fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion",
                       "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings", "notifications",
                       "rules", "taxa", "locations", "language", "contents", "isComprehensive",
                       "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
                       "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties"}, {"name"}),
    "reportingDescriptor": ({"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
                             "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
                             "helpUri", "help", "relationships", "properties"}, {"id"}),
    "multiformatMessageString": ({"text", "markdown", "properties"}, {"text"}),
    "reportingConfiguration": ({"enabled", "level", "rank", "parameters", "properties"}, set()),
    "result": ({"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
                "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows",
                "graphs", "graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank",
                "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
                "webResponse", "properties"}, {"message"}),
    "message": ({"text", "markdown", "id", "arguments", "properties"}, set()),
    "location": ({"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships",
                  "properties"}, set()),
    "physicalLocation": ({"address", "artifactLocation", "region", "contextRegion", "properties"}, set()),
    "artifactLocation": ({"uri", "uriBaseId", "index", "description", "properties"}, set()),
    "region": ({"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
                "byteLength", "snippet", "message", "sourceLanguage", "properties"}, set()),
    "invocation": ({"commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc", "exitCode",
                    "ruleConfigurationOverrides", "notificationConfigurationOverrides", "toolExecutionNotifications",
                    "toolConfigurationNotifications", "exitCodeDescription", "exitSignalName", "exitSignalNumber",
                    "processStartFailureMessage", "executionSuccessful", "machine", "account", "processId",
                    "executableLocation", "workingDirectory", "environmentVariables", "stdin", "stdout", "stderr",
                    "stdoutStderr", "properties"}, {"executionSuccessful"}),
    "notification": ({"locations", "message", "level", "threadId", "timeUtc", "exception", "descriptor",
                      "associatedRule", "properties"}, {"message"}),
}


class Invalid(Exception):
    pass


def need(cond, where, what):
    if not cond:
        raise Invalid(f"{where}: {what}")


def obj(value, kind, where):
    allowed, required = OBJECTS[kind]
    need(isinstance(value, dict), where, f"a {kind} must be an object")
    extra = set(value) - allowed
    need(not extra, where, f"{kind} does not allow {sorted(extra)}")
    missing = required - set(value)
    need(not missing, where, f"{kind} requires {sorted(missing)}")
    return value


def array(value, where):
    need(isinstance(value, list), where, "must be an array")
    return value


def message(value, where):
    obj(value, "message", where)
    need("text" in value or "id" in value, where, "a message needs text or id")
    need(isinstance(value.get("text", ""), str), where, "text must be a string")


def level(value, where):
    need(value in LEVELS, where, f"level {value!r} is not one of {sorted(LEVELS)}")


def location(value, where):
    obj(value, "location", where)
    if "physicalLocation" in value:
        p = obj(value["physicalLocation"], "physicalLocation", where + ".physicalLocation")
        if "artifactLocation" in p:
            a = obj(p["artifactLocation"], "artifactLocation", where + ".artifactLocation")
            need(isinstance(a.get("uri", ""), str), where, "uri must be a string")
        if "region" in p:
            r = obj(p["region"], "region", where + ".region")
            for k in ("startLine", "startColumn", "endLine", "endColumn"):
                if k in r:
                    need(isinstance(r[k], int) and r[k] >= 1, where, f"{k} must be an integer >= 1")


def check(log):
    obj(log, "sarifLog", "$")
    need(log["version"] == "2.1.0", "$.version", "must be 2.1.0")
    for i, run in enumerate(array(log["runs"], "$.runs")):
        at = f"$.runs[{i}]"
        obj(run, "run", at)
        if "columnKind" in run:
            need(run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints"), at, "columnKind")
        tool = obj(run["tool"], "tool", at + ".tool")
        driver = obj(tool["driver"], "toolComponent", at + ".tool.driver")
        need(isinstance(driver["name"], str), at, "the driver's name must be a string")
        rules = array(driver.get("rules", []), at + ".rules")
        for j, rule in enumerate(rules):
            rat = f"{at}.rules[{j}]"
            obj(rule, "reportingDescriptor", rat)
            for k in ("shortDescription", "fullDescription", "help"):
                if k in rule:
                    obj(rule[k], "multiformatMessageString", f"{rat}.{k}")
            if "defaultConfiguration" in rule:
                c = obj(rule["defaultConfiguration"], "reportingConfiguration", rat + ".defaultConfiguration")
                if "level" in c:
                    level(c["level"], rat)
        for j, res in enumerate(array(run.get("results", []), at + ".results")):
            rat = f"{at}.results[{j}]"
            obj(res, "result", rat)
            message(res["message"], rat + ".message")
            if "level" in res:
                level(res["level"], rat)
            if "ruleIndex" in res:
                need(isinstance(res["ruleIndex"], int) and 0 <= res["ruleIndex"] < len(rules), rat, "ruleIndex")
                need(rules[res["ruleIndex"]]["id"] == res.get("ruleId"), rat, "ruleIndex names another rule")
            for k, loc in enumerate(array(res.get("locations", []), rat + ".locations")):
                location(loc, f"{rat}.locations[{k}]")
        for j, inv in enumerate(array(run.get("invocations", []), at + ".invocations")):
            iat = f"{at}.invocations[{j}]"
            obj(inv, "invocation", iat)
            need(isinstance(inv["executionSuccessful"], bool), iat, "executionSuccessful must be a boolean")
            if "exitCode" in inv:
                need(isinstance(inv["exitCode"], int), iat, "exitCode must be an integer")
            for k, n in enumerate(array(inv.get("toolExecutionNotifications", []), iat)):
                nat = f"{iat}.toolExecutionNotifications[{k}]"
                obj(n, "notification", nat)
                message(n["message"], nat + ".message")
                if "level" in n:
                    level(n["level"], nat)
                for m, loc in enumerate(array(n.get("locations", []), nat)):
                    location(loc, f"{nat}.locations[{m}]")


if __name__ == "__main__":
    try:
        check(json.load(open(sys.argv[1], encoding="utf-8")))
    except (Invalid, ValueError) as e:
        sys.exit(f"{sys.argv[1]}: not valid SARIF 2.1.0: {e}")
