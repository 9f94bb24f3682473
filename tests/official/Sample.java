// What Java backends commonly run (JDK javax.crypto, AES/CBC/PKCS5Padding, java.util.Base64; the
// decrypted text is returned and parsed later), re-typed: run with `java Sample.java` by
// tests/engine/official.rs over the test vectors, one JSON line in ({sessionKey, iv,
// encryptedData, appid}) and one out ({"ok": true} or {"exception", "message"}).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class Sample {
    static String decrypt(String sessionKey, String encryptedData, String iv) throws Exception {
        byte[] key = Base64.getDecoder().decode(sessionKey);
        byte[] data = Base64.getDecoder().decode(encryptedData);
        byte[] ivBytes = Base64.getDecoder().decode(iv);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(ivBytes));
        return new String(cipher.doFinal(data), StandardCharsets.UTF_8);
    }

    /** The value of "name" in a flat JSON object of strings (the test's own input lines). */
    static String field(String line, String name) {
        int at = line.indexOf("\"" + name + "\":");
        int start = line.indexOf('"', at + name.length() + 3) + 1;
        StringBuilder out = new StringBuilder();
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') break;
            if (c == '\\') {
                char e = line.charAt(++i);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u': out.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16)); i += 4; break;
                    default: out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            try {
                decrypt(field(line, "sessionKey"), field(line, "encryptedData"), field(line, "iv"));
                out.append("{\"ok\":true}\n");
            } catch (Exception e) {
                out.append("{\"exception\":").append(quote(e.getClass().getName()))
                    .append(",\"message\":").append(e.getMessage() == null ? "null" : quote(e.getMessage())).append("}\n");
            }
        }
        System.out.print(out);
    }
}
