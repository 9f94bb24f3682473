// Decrypts WeChat mini program open data (encryptedData + iv with the session_key), as wxdecrypt
// does: AES-128-CBC, PKCS#7 padding checked, then the watermark's appid. Standard library only:
//   go run decrypt.go
package main

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

const (
	appid         = {{APPID}}
	sessionKey    = {{SESSION_KEY}}
	ivText        = {{IV}}
	encryptedData = {{ENCRYPTED_DATA}}
)

func decrypt() (map[string]any, error) {
	key, err := base64.StdEncoding.DecodeString(sessionKey)
	if err != nil {
		return nil, err
	}
	iv, err := base64.StdEncoding.DecodeString(ivText)
	if err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(encryptedData)
	if err != nil {
		return nil, err
	}
	// NewCBCDecrypter panics on an iv of another length, CryptBlocks on partial blocks: check.
	if len(key) != 16 || len(iv) != aes.BlockSize || len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errors.New("session_key and iv must be 16 bytes, encryptedData whole 16-byte blocks")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	// PKCS#7: Go does not check it for you.
	n := int(plain[len(plain)-1])
	if n < 1 || n > aes.BlockSize {
		return nil, errors.New("bad padding: a wrong session_key or iv")
	}
	for _, b := range plain[len(plain)-n:] {
		if int(b) != n {
			return nil, errors.New("bad padding: a wrong session_key or iv")
		}
	}
	var info map[string]any
	if err := json.Unmarshal(plain[:len(plain)-n], &info); err != nil {
		return nil, err
	}
	wm, _ := info["watermark"].(map[string]any)
	if wm == nil || wm["appid"] != appid {
		return nil, errors.New("watermark appid differs: the data is not for this mini program")
	}
	return info, nil
}

func main() {
	info, err := decrypt()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, _ := json.Marshal(info)
	fmt.Println(string(out))
}
