import NetModel
import Testing

/// ifindex -> name as ip's ll_index_to_name answers it, whatever order the links come in.
@Suite struct InterfaceNamesTests {
    func link(_ index: Int32, _ name: String, up: Bool = true, peer: Int32? = nil) -> Interface {
        var interface = Interface(index: index, name: name, flags: up ? .up : [], linkType: 1)
        interface.linkIndex = peer
        return interface
    }

    @Test func namesResolveInAnyOrderAndUnknownIndexesReadIfN() {
        let orders: [[Interface]] = [
            [link(1, "lo"), link(2, "a"), link(7, "b", up: false), link(40, "c")],
            [link(40, "c"), link(7, "b", up: false), link(1, "lo"), link(2, "a")],
        ]
        for links in orders {
            let names = InterfaceNames(links)
            #expect(names[1] == "lo" && names[2] == "a" && names[7] == "b" && names[40] == "c")
            #expect(names[3] == "if3" && names[0] == "if0" && names[41] == "if41" && names[-1] == "if-1")
            #expect(names.peerIsDown(link(9, "x", peer: 7)))
            #expect(!names.peerIsDown(link(9, "x", peer: 2)))
            #expect(!names.peerIsDown(link(9, "x", peer: 8)))  // unknown peer: no M-DOWN
            #expect(names.flagNames(link(9, "x", peer: 7)) == ["NO-CARRIER", "UP", "M-DOWN"])
        }
        #expect(InterfaceNames([])[5] == "if5")
    }

    @Test func aRepeatedIndexKeepsTheLastNameAndTheDictionaryFormAgrees() {
        let names = InterfaceNames([link(3, "old"), link(1, "lo"), link(3, "new")])
        #expect(names[3] == "new" && names[1] == "lo")
        let given = InterfaceNames(names: [9: "nine", 2: "two", 500: "many"])
        #expect(given[2] == "two" && given[9] == "nine" && given[500] == "many" && given[10] == "if10")
    }
}
