import NetModel
import Testing

/// Which container a cgroup path names, for every layout the runtimes use.
@Suite struct ContainerTests {
    static let id = "4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"

    @Test func runtimesAndLayouts() {
        let cases: [(String, ContainerRef?)] = [
            ("/system.slice/docker-\(Self.id).scope", ContainerRef(kind: .docker, id: Self.id)),
            ("/docker/\(Self.id)", ContainerRef(kind: .docker, id: Self.id)),
            ("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_0000_1111_2222_333344445555.slice/cri-containerd-\(Self.id).scope",
             ContainerRef(kind: .pod, id: "1a2b3c4d-0000-1111-2222-333344445555")),
            ("/kubepods/besteffort/pod1a2b3c4d-0000-1111-2222-333344445555/\(Self.id)",
             ContainerRef(kind: .pod, id: "1a2b3c4d-0000-1111-2222-333344445555")),
            ("/system.slice/cri-containerd-\(Self.id).scope", ContainerRef(kind: .containerd, id: Self.id)),
            ("/machine.slice/libpod-\(Self.id).scope/container", ContainerRef(kind: .podman, id: Self.id)),
            ("/system.slice/crio-\(Self.id).scope", ContainerRef(kind: .crio, id: Self.id)),
            ("/kubepods.slice/kubepods-pod1a2b3c4d_0000_1111_2222_333344445555.slice/crio-\(Self.id).scope",
             ContainerRef(kind: .pod, id: "1a2b3c4d-0000-1111-2222-333344445555")),
            ("/system.slice/nginx.service", ContainerRef(kind: .systemd, id: "nginx.service")),
            ("/user.slice/user-1000.slice/session-3.scope", ContainerRef(kind: .systemd, id: "session-3.scope")),
            ("/", nil),
            // Not an id: too short, or upper case.
            ("/system.slice/docker-abc.scope", ContainerRef(kind: .systemd, id: "docker-abc.scope")),
            ("/docker/ABCDEF0123456789", nil),
            // "pod" inside a word is not a pod outside kubepods.
            ("/system.slice/podcast.service", ContainerRef(kind: .systemd, id: "podcast.service")),
        ]
        for (path, expected) in cases {
            #expect(ContainerRef.classify(cgroupPath: Substring(path)) == expected, "\(path)")
        }
        #expect(ContainerRef(kind: .docker, id: Self.id).shortLabel == "docker:4f1a2b3c4d5e")
        #expect(ContainerRef(kind: .pod, id: "u").label == "pod:u")
    }

    @Test func theProcessesOfANamespaceAgree() {
        let docker = ContainerRef(kind: .docker, id: Self.id)
        let shim = ContainerRef(kind: .systemd, id: "containerd.service")
        #expect(ContainerRef.common([docker, nil, shim]) == docker)
        #expect(ContainerRef.common([docker, ContainerRef(kind: .docker, id: String(Self.id.reversed()))]) == nil)
        #expect(ContainerRef.common([shim, shim]) == shim)
        #expect(ContainerRef.common([shim, ContainerRef(kind: .systemd, id: "init.scope")]) == nil)
        #expect(ContainerRef.common([]) == nil)
    }

    @Test func identityText() {
        #expect(NamespaceIdentity.inode(fromText: "net:[4026531833]") == 4026531833)
        #expect(NamespaceIdentity.inode(fromText: "net:4026531833") == 4026531833)
        #expect(NamespaceIdentity.inode(fromText: "mnt:[1]") == nil)
        #expect(NamespaceIdentity.inode(fromText: "net:[]") == nil)
        #expect(NamespaceIdentity.inode(fromText: "net:[-1]") == nil)
        #expect(NamespaceIdentity(device: 4, inode: 7).text == "net:[7]")
    }
}
