"""Where captures come from: sources config, the polite CDX/replay client, WARC/ARC reading, the raw payload
store, policy URL discovery, and the captures stage that loads them."""
