// Decrypts WeChat mini program open data (encryptedData + iv with the session_key), as wxdecrypt
// does: AES-128-CBC, PKCS#7 padding checked, then the watermark's appid. Plain JDK (11+):
//   java Decrypt.java
// "AES/CBC/PKCS5Padding" is PKCS#7 for 16-byte blocks: no BouncyCastle or "PKCS7Padding" needed.
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class Decrypt {
    static final String APPID = {{APPID}};
    static final String SESSION_KEY = {{SESSION_KEY}};
    static final String IV = {{IV}};
    static final String ENCRYPTED_DATA = {{ENCRYPTED_DATA}};

    public static void main(String[] args) throws Exception {
        // The basic decoder refuses line breaks and spaces: a '+' turned into a space fails here.
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] key = b64.decode(SESSION_KEY);
        byte[] iv = b64.decode(IV);
        if (key.length != 16 || iv.length != 16) {
            throw new IllegalArgumentException("session_key and iv must be 16 bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        // BadPaddingException here: a wrong key or iv.
        byte[] plain = cipher.doFinal(b64.decode(ENCRYPTED_DATA));
        // Decode as UTF-8 explicitly: the platform charset (GBK on a Chinese Windows) breaks
        // nicknames.
        String json = new String(plain, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"watermark\"\\s*:\\s*\\{[^}]*\"appid\"\\s*:\\s*\"([^\"]*)\"")
                .matcher(json);
        if (!m.find() || !m.group(1).equals(APPID)) {
            throw new IllegalStateException("watermark appid differs: the data is not for this mini program");
        }
        System.out.println(json);
    }
}
