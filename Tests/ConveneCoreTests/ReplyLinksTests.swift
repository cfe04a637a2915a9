@testable import ConveneCore
import Foundation
import Testing

@Suite("reply links")
struct ReplyLinksTests {
    let page = URL(string: "https://convene.example.org/reply/")!
    let deadline = Date(timeIntervalSince1970: 1_709_247_540)  // 29 February 2024, 23:59 in Geneva

    func scratch(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convene-links-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func signer(_ keys: SigningKeyStore, workflow: String = "wsis20", event: String = "CL-24/2") throws -> ReplyLinks {
        let key = try keys.key(for: workflow, workflowDirectory: URL(fileURLWithPath: "/nonexistent/workflow"))
        return ReplyLinks(page: page, key: key, workflowID: workflow, eventReference: event)
    }

    @Test("a link names its delegation, verifies until it expires, and is then refused as expired")
    func roundTrip() throws {
        let links = try signer(SigningKeyStore(directory: try scratch()))
        let link = links.link(for: "FRA", expires: deadline)
        #expect(link.absoluteString.hasPrefix("https://convene.example.org/reply/FRA."))
        let checked = try links.verify(link.absoluteString, now: deadline.addingTimeInterval(-1))
        #expect(checked.delegation == "FRA")
        #expect(checked.expires == deadline)
        #expect(throws: ReplyLinkError.expired(checked.expires)) { try links.verify(link.lastPathComponent, now: deadline.addingTimeInterval(60)) }
    }

    @Test("changing the delegation, the expiry or one character of the signature makes a forgery")
    func tampering() throws {
        let links = try signer(SigningKeyStore(directory: try scratch()))
        let token = links.token(for: "FRA", expires: deadline)
        let parts = token.split(separator: ".").map(String.init)
        let now = deadline.addingTimeInterval(-3600)
        #expect(throws: ReplyLinkError.forged) { try links.verify("DEU.\(parts[1]).\(parts[2])", now: now) }
        #expect(throws: ReplyLinkError.forged) { try links.verify("FRA.\(Int(parts[1])! + 86_400).\(parts[2])", now: now) }
        var signature = Array(parts[2])
        signature[5] = signature[5] == "A" ? "B" : "A"
        #expect(throws: ReplyLinkError.forged) { try links.verify("FRA.\(parts[1]).\(String(signature))", now: now) }
        for garbage in ["", "FRA", "FRA.123", "FRA.soon.\(parts[2])", "FRA.\(parts[1]).not+base64url", ".\(parts[1]).\(parts[2])"] {
            #expect(throws: ReplyLinkError.self) { try links.verify(garbage, now: now) }
        }
        #expect(throws: ReplyLinkError.malformed) { try links.verify("FRA.\(parts[1]).short", now: now) }
        // The last character of a signature carries two unused bits: a token that differs only
        // there decodes to the same bytes, and is still not the token that was sent.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: parts[2].last!))
        let sibling = String(parts[2].dropLast()) + String(alphabet[last ^ 1])
        #expect(throws: ReplyLinkError.forged) { try links.verify("FRA.\(parts[1]).\(sibling)", now: now) }
    }

    @Test("a delegation id with dots is kept whole")
    func dottedIDs() throws {
        let links = try signer(SigningKeyStore(directory: try scratch()))
        let token = links.token(for: "ORG.UN.ITU", expires: deadline)
        #expect(try links.verify(token, now: deadline.addingTimeInterval(-1)).delegation == "ORG.UN.ITU")
    }

    @Test("a link made for another workflow, another event or under another key does not verify")
    func foreignLinks() throws {
        let folder = try scratch()
        let keys = SigningKeyStore(directory: folder)
        let token = try signer(keys).token(for: "FRA", expires: deadline)
        let now = deadline.addingTimeInterval(-1)
        #expect(throws: ReplyLinkError.forged) { try signer(keys, event: "CL-24/3").verify(token, now: now) }
        #expect(throws: ReplyLinkError.forged) { try signer(keys, workflow: "other").verify(token, now: now) }
        #expect(throws: ReplyLinkError.forged) { try signer(SigningKeyStore(directory: try scratch())).verify(token, now: now) }
    }

    @Test("the key is made on first use, readable by its owner only, and the same on the next run")
    func keyKept() throws {
        let folder = try scratch().appendingPathComponent("keys")
        let keys = SigningKeyStore(directory: folder)
        let token = try signer(keys).token(for: "FRA", expires: deadline)
        let file = keys.file(for: "wsis20")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["wsis20.key"])
        // Another run, another store over the same folder: the same key.
        #expect(try signer(SigningKeyStore(directory: folder)).verify(token, now: deadline.addingTimeInterval(-1)).delegation == "FRA")
    }

    @Test("a key folder inside the workflow's folder is refused, and a file that holds no key is an error naming it")
    func keyRefused() throws {
        let workflow = try scratch()
        let inside = SigningKeyStore(directory: workflow.appendingPathComponent(".convene/keys"))
        #expect(throws: SigningKeyError.self) { try inside.key(for: "w", workflowDirectory: workflow) }
        #expect(!FileManager.default.fileExists(atPath: workflow.appendingPathComponent(".convene").path))

        let folder = try scratch()
        let keys = SigningKeyStore(directory: folder)
        try Data("not a key\n".utf8).write(to: keys.file(for: "w"))
        do {
            _ = try keys.key(for: "w", workflowDirectory: workflow)
            Issue.record("a bad key file was accepted")
        } catch {
            #expect(error.message.contains(keys.file(for: "w").path))
        }
    }

    @Test("the key folder comes from CONVENE_KEYS, else XDG_CONFIG_HOME, else ~/.config")
    func keyFolder() {
        #expect(SigningKeyStore.standard(environment: ["CONVENE_KEYS": "/srv/keys"]).directory.path == "/srv/keys")
        #expect(SigningKeyStore.standard(environment: ["XDG_CONFIG_HOME": "/home/p/cfg"]).directory.path == "/home/p/cfg/convene/keys")
        #expect(SigningKeyStore.standard(environment: [:]).directory.path.hasSuffix("/.config/convene/keys"))
    }
}
