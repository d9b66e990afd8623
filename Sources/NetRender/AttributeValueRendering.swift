import NetModel
import NetOutput
#if canImport(Glibc)
import Glibc
#endif

/// Decoded attributes (qdisc options, link details) as text and as JSON under iproute2's keys.
package enum AttributeValueRenderer {
    /// `names` resolves `.interface` values (nil: they print as "ifN").
    static func text(_ value: AttributeValue, names: InterfaceNames? = nil) -> String {
        switch value {
        case .unsigned(let number): return String(number)
        case .signed(let number): return String(number)
        case .text(let string), .decimal(let string): return string
        case .bool(let flag): return flag ? "on" : "off"
        case .list(let numbers): return numbers.map(String.init).joined(by: " ")
        case .strings(let strings): return strings.joined(by: ",")
        case .object(let fields): return fields.map { "\($0.name) \(text($0.value, names: names))" }.joined(by: " ")
        case .interface(let index): return interfaceName(index, names)
        case .user(let id): return userName(id) ?? String(id)
        case .group(let id): return groupName(id) ?? String(id)
        }
    }

    /// getpwuid/getgrgid, as ip's print_owner/print_group: the name, or nil to print the id.
    static func userName(_ id: UInt32) -> String? { getpwuid(id).map { String(cString: $0.pointee.pw_name) } }
    static func groupName(_ id: UInt32) -> String? { getgrgid(id).map { String(cString: $0.pointee.gr_name) } }

    static func interfaceName(_ index: Int32, _ names: InterfaceNames?) -> String {
        names.map { $0[index] } ?? "if\(index)"
    }

    static func write(_ fields: [AttributeValue.Field], names: InterfaceNames? = nil, into json: inout JSONWriter) {
        for field in fields {
            json.key(escaping: field.name)
            switch field.value {
            case .unsigned(let number): json.number(number)
            case .signed(let number): json.number(number)
            case .text(let string): json.string(string)
            case .decimal(let text): json.raw(text)
            case .bool(let flag): json.bool(flag)
            case .list(let numbers):
                json.beginArray()
                for number in numbers { json.number(number) }
                json.endArray()
            case .strings(let strings):
                json.beginArray()
                for string in strings { json.string(string) }
                json.endArray()
            case .object(let nested):
                json.beginObject()
                write(nested, names: names, into: &json)
                json.endObject()
            case .interface(let index): json.string(interfaceName(index, names))
            case .user(let id): if let name = userName(id) { json.string(name) } else { json.number(UInt64(id)) }
            case .group(let id): if let name = groupName(id) { json.string(name) } else { json.number(UInt64(id)) }
            }
        }
    }
}
