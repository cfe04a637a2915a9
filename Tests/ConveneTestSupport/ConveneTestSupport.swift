// The plugins' tests use the SDK's own test helpers, as a third party's plugin would.
@_exported public import ConveneKitTesting
