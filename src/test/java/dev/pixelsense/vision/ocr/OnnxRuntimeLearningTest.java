package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ONNX Runtime Java (natives from the Maven jar) does with the PP-OCRv4 files of the catalog:
 * the tensor names, layouts and sizes the OCR code relies on.
 */
class OnnxRuntimeLearningTest {
    static OcrModels models;

    @BeforeAll
    static void models() throws Exception {
        models = OcrTestSupport.models();
    }

    @Test
    void should_load_the_detector_with_an_nchw_input_of_any_size_and_one_probability_map_out() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession det = env.createSession(models.detector().toString(), new OrtSession.SessionOptions())) {
            Map<String, NodeInfo> in = det.getInputInfo();
            Map<String, NodeInfo> out = det.getOutputInfo();
            System.out.println("det in " + in + " out " + out);
            assertThat(in).containsOnlyKeys("x");
            long[] shape = ((TensorInfo) in.get("x").getInfo()).getShape();
            assertThat(shape).containsExactly(-1, 3, -1, -1);

            float[] image = new float[3 * 64 * 96];
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), new long[] {1, 3, 64, 96});
                 OrtSession.Result r = det.run(Map.of("x", x))) {
                OnnxTensor map = (OnnxTensor) r.get(0);
                assertThat(map.getInfo().getShape()).containsExactly(1, 1, 64, 96);
                FloatBuffer p = map.getFloatBuffer();
                for (int i = 0; i < p.capacity(); i++) {
                    assertThat(p.get(i)).isBetween(0f, 1f); // sigmoid applied inside the model
                }
            }
        }
    }

    @Test
    void should_load_the_recognizer_whose_classes_are_blank_plus_the_keys_plus_a_space() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long keys = Files.readAllLines(models.keys()).size();
        try (OrtSession rec = env.createSession(models.recognizer().toString(), new OrtSession.SessionOptions())) {
            System.out.println("rec in " + rec.getInputInfo() + " out " + rec.getOutputInfo());
            assertThat(((TensorInfo) rec.getInputInfo().get("x").getInfo()).getShape()).containsExactly(-1, 3, 48, -1);

            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 3 * 48 * 320]),
                    new long[] {2, 3, 48, 320});
                 OrtSession.Result r = rec.run(Map.of("x", x))) {
                long[] shape = ((OnnxTensor) r.get(0)).getInfo().getShape();
                // one time step per 8 input columns; softmax over blank + 6623 keys + space
                assertThat(shape).containsExactly(2, 40, keys + 2);
                assertThat(keys).isEqualTo(6623);
            }
        }
    }
}
