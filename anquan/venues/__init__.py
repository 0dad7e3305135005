"""Small venues (九小场所, issue #14): the registry of the nine kinds with their fire-safety basics,
one QR code per venue (一店一码), the public page a code opens and the owner's monthly self-check."""
