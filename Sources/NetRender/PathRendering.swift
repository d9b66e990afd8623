import NetAnalysis
import NetModel
import NetOutput

/// `netscope path`: numbered steps, or one JSON object (docs in the README and man page).
package enum PathRenderer {
    package static func render(_ report: PathReport, to sink: OutputSink, options: RenderOptions) {
        let names = InterfaceNames(report.facts.interfaces)
        if options.format == .table {
            // Names from the kernel (interfaces, processes) may hold control characters.
            forEachLine(of: text(report, names: names)) { sink.write(TextTable.terminalSafe(String($0)) + "\n") }
            return
        }
        var json = JSONWriter(sink)
        writeJSON(report, names: names, into: &json)
        json.newline()
    }

    /// Calls `body` with each non-empty line of `text`, as `text.split(separator: "\n")` gives
    /// them, but found in the UTF-8 bytes: splitting by Character walks grapheme breaks and cost
    /// 0.23M instructions for `path`'s two dozen lines, 16% of the whole run (callgrind). The only
    /// cluster that holds a line feed is CR LF, which `split` keeps whole, so a LF after a CR
    /// does not end a line here either.
    package static func forEachLine(of text: String, _ body: (Substring) -> Void) {
        let bytes = text.utf8
        var start = bytes.startIndex
        var previous: UInt8 = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") {
                if start < i { body(text[start..<i]) }
                start = bytes.index(after: i)
            }
            previous = byte
            i = bytes.index(after: i)
        }
        if start < bytes.endIndex { body(text[start..<bytes.endIndex]) }
    }

    static func text(_ report: PathReport, names: InterfaceNames) -> String {
        let flow = report.facts.flow
        var out = "path \(flow.destination)"
        if let source = flow.source { out += " from \(source)" }
        if let iif = flow.inputInterface { out += " arriving on \(iif)" } else { out += ", sent from this host" }
        var selectors: [String] = []
        if let proto = flow.ipProto { selectors.append(RouteNames.ipProtocol(proto)) }
        if let port = flow.sourcePort { selectors.append("sport \(port)") }
        if let port = flow.destinationPort { selectors.append("dport \(port)") }
        if let mark = flow.mark { selectors.append("mark 0x\(String(mark, radix: 16))") }
        if let tos = flow.tos { selectors.append("tos 0x\(String(tos, radix: 16))") }
        selectors.append("uid \(report.facts.uid == RuleWalk.Flow.invalidUID ? "none" : String(report.facts.uid))")
        out += " (" + selectors.joined(by: ", ") + ")\n"
        out += " 1. rules, in priority order:\n"
        for step in report.ruleSteps {
            let rule = RuleRenderer.summary(step.rule)
            let result = step.matched ? "matches" + (step.outcome.map { " -> \($0)" } ?? "") : "no: \(step.reason)"
            out += "      \(WatchRenderer.pad(rule, 44)) \(result)\n"
        }
        var number = 1
        for line in report.steps.dropFirst() {
            // Notes explain the step before them; they are not steps of the packet's own.
            if line.hasPrefix("note: ") {
                out += "    \(line)\n"
                continue
            }
            number += 1
            out += " \(number). \(line)\n"
        }
        if !report.agrees {
            out += "    note: the rules above end elsewhere than the kernel's own lookup; the kernel's answer is the one shown\n"
        }
        out += "verdict: \(report.verdict)\n"
        return out
    }


    /// The kernel's answer at the top level in `ip -j route get`'s names, then the steps.
    static func writeJSON(_ report: PathReport, names: InterfaceNames, into json: inout JSONWriter) {
        let facts = report.facts
        json.beginObject()
        if let route = facts.resolved {
            RouteRenderer.writeFields(route, names: names, showTable: true, into: &json)
        } else {
            json.field("dst", facts.flow.destination.description)
            if let error = facts.resolvedError { json.field("error", NetlinkErrorNames.name(error)) }
        }
        json.key("rules")
        json.beginArray()
        for step in report.ruleSteps {
            json.beginObject()
            json.field("priority", step.rule.priority ?? 0)
            json.field("rule", RuleRenderer.summary(step.rule))
            json.field("matched", step.matched)
            json.field("reason", step.reason)
            json.field("action", RuleRenderer.actionText(step.rule))
            json.field("outcome", step.outcome)
            json.endObject()
        }
        json.endArray()
        json.key("match")
        if let entry = facts.fibMatch {
            json.beginObject()
            RouteRenderer.writeFields(entry, names: names, showTable: true, into: &json)
            json.endObject()
        } else if case .route(_, _, let route) = report.decision {
            // The kernel answers a blackhole, unreachable or prohibit entry with an error:
            // the entry is the one the rule walk found.
            json.beginObject()
            RouteRenderer.writeFields(route, names: names, showTable: true, into: &json)
            json.endObject()
        } else {
            json.null()
        }
        json.key("neighbor")
        if let neighbor = report.neighbor {
            json.beginObject()
            NeighborRenderer.writeFields(neighbor, names: names, into: &json)
            json.endObject()
        } else if let hop = report.nextHop, facts.neighbors != nil {
            json.beginObject()
            json.field("dst", hop.description)
            json.key("state"); json.beginArray(); json.string("NONE"); json.endArray()
            json.endObject()
        } else {
            json.null()
        }
        json.key("device")
        if let device = report.device {
            json.beginObject()
            json.field("ifname", device.name)
            json.field("operstate", device.operState?.name ?? "UNKNOWN")
            if let carrier = device.carrier { json.field("carrier", carrier) }
            json.field("mtu", device.mtu)
            if let pmtu = facts.resolved?.metrics.first(where: { $0.kind == 2 })?.value { json.field("path_mtu", pmtu) }
            json.field("master", report.master?.name)
            if let qdisc = facts.rootQdisc {
                json.key("qdisc")
                json.beginObject()
                json.field("kind", qdisc.kind)
                json.field("drops", qdisc.statistics.drops)
                json.field("backlog", qdisc.statistics.backlog)
                json.endObject()
            } else if let kind = device.qdisc {
                json.key("qdisc")
                json.beginObject()
                json.field("kind", kind)
                json.endObject()
            }
            json.endObject()
        } else {
            json.null()
        }
        json.key("socket")
        if let sockets = facts.sockets {
            json.beginArray()
            for socket in sockets { SocketRenderer.writeJSON(socket, names: names, into: &json) }
            json.endArray()
        } else {
            json.null()
        }
        json.key("forwarding")
        if facts.flow.inputInterface != nil {
            json.beginObject()
            if let forwarding = facts.forwarding { json.field("forwarding", forwarding) }
            json.field("rp_filter", facts.rpFilter)
            if let passes = facts.reversePathPasses { json.field("rp_filter_passes", passes) }
            if let acceptLocal = facts.acceptLocal { json.field("accept_local", acceptLocal) }
            json.endObject()
        } else {
            json.null()
        }
        json.key("verdict")
        json.beginObject()
        json.field("outcome", report.outcome.rawValue)
        json.field("text", report.verdict)
        json.endObject()
        json.field("agrees", report.agrees)
        if report.localMergedIntoMain { json.field("local_merged", true) }
        json.field("steps", strings: report.steps)
        json.endObject()
    }
}

/// errno names for the kernel's refusals of a route lookup.
enum NetlinkErrorNames {
    static func name(_ errno: Int32) -> String {
        switch errno {
        case PathReport.Refusal.accessDenied: return "EACCES"
        case PathReport.Refusal.crossDevice: return "EXDEV"
        case PathReport.Refusal.invalid: return "EINVAL"
        case PathReport.Refusal.networkUnreachable: return "ENETUNREACH"
        case PathReport.Refusal.hostUnreachable: return "EHOSTUNREACH"
        default: return "errno \(errno)"
        }
    }
}
